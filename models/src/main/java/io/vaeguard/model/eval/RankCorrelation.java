package io.vaeguard.model.eval;

import java.util.Arrays;

/**
 * Spearman's rank correlation: the Pearson correlation of the two samples' ranks, ties given their
 * average rank (so tied values do not inflate or deflate the result). 1 means the two scorers order
 * every pair of rows alike, which is what an alert threshold on a calibrated score cares about.
 */
public final class RankCorrelation {

  private RankCorrelation() {}

  /** Spearman's rho of {@code a} and {@code b}; NaN when either sample is constant (no ranking). */
  public static double spearman(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "samples differ in size: " + a.length + " and " + b.length);
    }
    if (a.length < 2) {
      return Double.NaN;
    }
    return pearson(ranks(a), ranks(b));
  }

  /** 1-based ranks, ties averaged: {10, 20, 20, 30} -> {1, 2.5, 2.5, 4}. */
  public static double[] ranks(double[] v) {
    int n = v.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(v[i])) {
        throw new IllegalArgumentException("value at index " + i + " is NaN; NaN cannot be ranked");
      }
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(v[x] + 0.0, v[y] + 0.0));
    double[] r = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && v[order[j + 1]] + 0.0 == v[order[i]] + 0.0) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = avg;
      }
      i = j + 1;
    }
    return r;
  }

  private static double pearson(double[] x, double[] y) {
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }
}
