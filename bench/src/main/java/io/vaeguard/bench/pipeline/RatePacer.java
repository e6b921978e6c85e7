package io.vaeguard.bench.pipeline;

/**
 * Paces a producer at a fixed rate without drift: after {@code elapsedNanos} since the start,
 * {@code floor(rate * elapsed)} records are due in all, so a late wake-up sends the backlog at once
 * and the long-run rate stays exact. Pure arithmetic on the caller's clock, so it tests without
 * sleeping.
 */
public final class RatePacer {

  private final double perSecond;

  public RatePacer(double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be a positive number of records per second, got " + perSecond);
    }
    this.perSecond = perSecond;
  }

  public double perSecond() {
    return perSecond;
  }

  /** Records due in total after {@code elapsedNanos} since the start. */
  public long dueAfter(long elapsedNanos) {
    if (elapsedNanos <= 0) {
      return 0;
    }
    return (long) Math.floor(perSecond * elapsedNanos / 1e9);
  }

  /** Nanoseconds after the start at which record number {@code index} (0-based) is due. */
  public long dueAt(long index) {
    return (long) Math.ceil(index * 1e9 / perSecond);
  }
}
