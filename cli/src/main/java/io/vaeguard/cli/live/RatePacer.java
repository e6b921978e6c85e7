package io.vaeguard.cli.live;

import java.util.concurrent.TimeUnit;

/**
 * Paces a loop to about {@code perSecond} iterations a second: {@link #acquire()} waits until the
 * next slot of an even schedule. After a stall the loop may catch up by at most one second's worth
 * of slots, then the schedule restarts from now, so a pause never turns into a long burst.
 *
 * <p>Not thread-safe: one pacer per producing thread.
 */
public final class RatePacer {

  /** Time and sleep, so that tests can drive the pacer without sleeping. */
  public interface Clock {
    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;

    Clock SYSTEM =
        new Clock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleepNanos(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
          }
        };
  }

  private static final long MAX_CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final double perSecond;
  private final long intervalNanos;
  private final Clock clock;
  private long next;
  private boolean started;

  /**
   * @param perSecond iterations a second; 0 means no pacing at all
   */
  public RatePacer(double perSecond, Clock clock) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be a number of records a second >= 0 (0: as fast as possible), got "
          + perSecond);
    }
    this.perSecond = perSecond;
    this.intervalNanos = perSecond == 0 ? 0 : Math.max(1, Math.round(1e9 / perSecond));
    this.clock = clock;
  }

  public RatePacer(double perSecond) {
    this(perSecond, Clock.SYSTEM);
  }

  public double perSecond() {
    return perSecond;
  }

  /** Waits for the next slot; returns at once when the pacer is unlimited or behind schedule. */
  public void acquire() throws InterruptedException {
    if (intervalNanos == 0) {
      return;
    }
    long now = clock.nanoTime();
    if (!started) {
      next = now;
      started = true;
    } else if (now - next > MAX_CATCH_UP_NANOS) {
      next = now - MAX_CATCH_UP_NANOS;
    }
    long wait = next - now;
    if (wait > 0) {
      clock.sleepNanos(wait);
    }
    next += intervalNanos;
  }
}
