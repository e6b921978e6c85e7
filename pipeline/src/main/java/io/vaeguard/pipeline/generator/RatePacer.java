package io.vaeguard.pipeline.generator;

import java.util.concurrent.TimeUnit;

/**
 * Paces a producer to about {@code perSecond} records a second, in one of two ways:
 *
 * <ul>
 *   <li>{@link #acquire()} waits until the next slot of an even schedule, for a loop that sends one
 *       record per call ({@link ObservationProducer}). After a stall the loop may catch up by at
 *       most one second's worth of slots, then the schedule restarts from now, so a pause never
 *       turns into a long burst.
 *   <li>{@link #dueAfter} and {@link #dueAt} are the schedule as arithmetic on the caller's clock,
 *       without drift: after {@code elapsedNanos} since the start {@code floor(rate * elapsed)}
 *       records are due in all, so a late wake-up sends the backlog at once and the long-run rate
 *       stays exact (the benchmark's latency load, which must hold a rate for a measured window).
 * </ul>
 *
 * <p>A rate of 0 means no pacing. Not thread-safe: one pacer per producing thread.
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
   * @param perSecond records a second; 0 means no pacing at all
   */
  public RatePacer(double perSecond, Clock clock) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException(
          "rate must be a number of records a second >= 0 (0: as fast as possible), got "
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

  /** Records due in total after {@code elapsedNanos} since the start; unpaced: all of them. */
  public long dueAfter(long elapsedNanos) {
    if (perSecond == 0) {
      return Long.MAX_VALUE;
    }
    if (elapsedNanos <= 0) {
      return 0;
    }
    return (long) Math.floor(perSecond * elapsedNanos / 1e9);
  }

  /**
   * Nanoseconds after the start at which record number {@code index} (0-based) is due; unpaced: 0.
   */
  public long dueAt(long index) {
    if (perSecond == 0) {
      return 0;
    }
    return (long) Math.ceil(index * 1e9 / perSecond);
  }
}
