package io.vaeguard.bench.report;

import java.util.Arrays;

/**
 * Percentiles of a sample by the nearest-rank method: the smallest value with at least p% of the
 * sample at or below it.
 */
public final class Percentiles {

  private final long[] sorted;

  /** Sorts a copy of the first {@code n} values. */
  public Percentiles(long[] values, int n) {
    if (n < 0 || n > values.length) {
      throw new IllegalArgumentException("n = " + n + " outside 0.." + values.length);
    }
    this.sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** The nearest-rank p-th percentile, p in (0, 100]; fails on an empty sample. */
  public long percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    if (sorted.length == 0) {
      throw new IllegalStateException("no values");
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** The sorted values (the empirical CDF's steps); do not modify. */
  public long[] sorted() {
    return sorted;
  }
}
