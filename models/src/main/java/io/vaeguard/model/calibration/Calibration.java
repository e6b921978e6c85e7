package io.vaeguard.model.calibration;

import java.util.Arrays;

/**
 * Maps a raw anomaly score to [0,1]: where it falls among the raw scores of validation rows.
 *
 * <p>Below {@code tailStart} this is the empirical CDF, interpolated linearly between stored
 * quantiles. Above it, where a few hundred validation rows say little, an exponential tail is
 * fitted to the excesses (peaks over threshold with shape 0), so that scores far beyond anything
 * seen in validation still differ from each other instead of all saturating at 1. The map is
 * continuous, non-decreasing and stays in [0,1).
 *
 * @param quantiles raw scores at evenly spaced probabilities 0, 1/(m-1), ..., 1 (sorted)
 * @param tailStart raw score where the tail begins (the quantile at {@code 1 - tailMass})
 * @param tailMass probability of a validation score above {@code tailStart}
 * @param tailScale mean excess over {@code tailStart} (the exponential tail's scale)
 */
public record Calibration(double[] quantiles, double tailStart, double tailMass, double tailScale)
    implements java.io.Serializable {

  /** Stored quantile points: enough for a smooth map, small enough for a readable card. */
  public static final int DEFAULT_POINTS = 201;

  /** Fraction of validation scores modelled by the fitted tail. */
  public static final double DEFAULT_TAIL_MASS = 0.05;

  /** The largest calibrated score: the double just below 1. */
  public static final double MAX_SCORE = Math.nextDown(1.0);

  public Calibration {
    if (quantiles == null || quantiles.length < 2) {
      throw new IllegalArgumentException("calibration needs at least 2 quantile points");
    }
    for (int i = 1; i < quantiles.length; i++) {
      if (!(quantiles[i] >= quantiles[i - 1])) {
        throw new IllegalArgumentException(
            "calibration quantiles must be sorted and finite, not at " + i);
      }
    }
    if (!(tailMass > 0 && tailMass < 1) || !(tailScale > 0) || !Double.isFinite(tailStart)) {
      throw new IllegalArgumentException(
          "calibration tail needs 0 < mass < 1 and scale > 0, got mass "
              + tailMass
              + ", scale "
              + tailScale);
    }
  }

  /** Fits the map to raw validation scores (they need not be sorted; NaNs are refused). */
  public static Calibration fit(double[] scores) {
    return fit(scores, DEFAULT_POINTS, DEFAULT_TAIL_MASS);
  }

  public static Calibration fit(double[] scores, int points, double tailMass) {
    if (points < 2) {
      throw new IllegalArgumentException(
          "calibration needs at least 2 quantile points, got " + points);
    }
    if (scores.length < 10) {
      throw new IllegalArgumentException(
          "calibration needs at least 10 validation scores, got " + scores.length);
    }
    double[] s = scores.clone();
    for (double v : s) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("calibration scores must be finite, found " + v);
      }
    }
    Arrays.sort(s);
    double[] q = new double[points];
    for (int i = 0; i < points; i++) {
      q[i] = quantileOfSorted(s, (double) i / (points - 1));
    }
    double start = quantileOfSorted(s, 1 - tailMass);
    double excess = 0;
    int n = 0;
    for (double v : s) {
      if (v > start) {
        excess += v - start;
        n++;
      }
    }
    // Mean excess is the MLE of an exponential tail; guard a flat sample with a tiny positive
    // scale.
    double scale = n > 0 ? excess / n : 0;
    double floor = Math.max(1e-12, 1e-6 * Math.max(Math.abs(start), s[s.length - 1] - s[0]));
    return new Calibration(q, start, tailMass, Math.max(scale, floor));
  }

  /** Linear-interpolated quantile of a sorted sample (type 7, as numpy's default). */
  public static double quantileOfSorted(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("empty sample");
    }
    double h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The calibrated score in [0,1) of a raw score; NaN in gives NaN out. */
  public double calibrate(double raw) {
    if (Double.isNaN(raw)) {
      return Double.NaN;
    }
    if (raw >= tailStart) {
      // Far out the tail term drops below half an ulp of 1 and the sum rounds to 1.0 (from about
      // 37 tail scales on); cap just below 1 so the promised [0,1) holds for any raw score.
      return Math.min(1 - tailMass * Math.exp(-(raw - tailStart) / tailScale), MAX_SCORE);
    }
    double[] q = quantiles;
    if (raw <= q[0]) {
      return 0;
    }
    int idx = Arrays.binarySearch(q, raw);
    double pos;
    if (idx >= 0) {
      // On a run of equal quantiles take the last one, so the map stays non-decreasing.
      while (idx + 1 < q.length && q[idx + 1] == raw) {
        idx++;
      }
      pos = idx;
    } else {
      int hi = -idx - 1;
      int lo = hi - 1;
      // A hand-written card may start the tail above its last quantile: the CDF is 1 up there.
      pos = hi == q.length ? q.length - 1 : lo + (raw - q[lo]) / (q[hi] - q[lo]);
    }
    double p = pos / (q.length - 1);
    // Below the tail the CDF may not exceed the tail's starting probability.
    return Math.min(p, 1 - tailMass);
  }

  /** The raw score whose calibrated score is {@code p}: the inverse of {@link #calibrate}. */
  public double rawAt(double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("a calibrated score is in [0,1), got " + p);
    }
    if (p >= 1 - tailMass) {
      return tailStart - tailScale * Math.log((1 - p) / tailMass);
    }
    double h = p * (quantiles.length - 1);
    int lo = (int) Math.floor(h);
    int hi = Math.min(quantiles.length - 1, lo + 1);
    return Math.min(tailStart, quantiles[lo] + (h - lo) * (quantiles[hi] - quantiles[lo]));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Calibration c
        && Arrays.equals(quantiles, c.quantiles)
        && tailStart == c.tailStart
        && tailMass == c.tailMass
        && tailScale == c.tailScale;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(quantiles) * 31 + Double.hashCode(tailStart);
  }
}
