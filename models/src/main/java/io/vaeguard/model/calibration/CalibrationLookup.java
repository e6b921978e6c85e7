package io.vaeguard.model.calibration;

import java.io.Serializable;

/**
 * {@link Calibration#calibrate} for the per-row path: the same numbers, found faster. A table of
 * {@value #BUCKETS} equal-width buckets over the quantiles' range says where in the sorted
 * quantiles each bucket starts, so a look-up is one multiplication and a step or two of scan
 * instead of a binary search over all points: the binary search was most of the detector's cost per
 * row in the job's profile (BENCHMARKS.md).
 */
public final class CalibrationLookup implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Buckets over the quantiles' range: several per quantile point, so a scan is short. */
  static final int BUCKETS = 1024;

  private final Calibration calibration;
  private final double[] q;
  private final double low;
  private final double perBucket;

  /** first[b]: the first quantile index whose value is above the lower edge of bucket b. */
  private final int[] first;

  private CalibrationLookup(Calibration calibration) {
    this.calibration = calibration;
    this.q = calibration.quantiles();
    this.low = q[0];
    double width = q[q.length - 1] - low;
    this.perBucket = width > 0 && Double.isFinite(width) ? BUCKETS / width : 0;
    this.first = new int[BUCKETS + 1];
    int i = 0;
    for (int b = 0; b <= BUCKETS; b++) {
      double edge = perBucket > 0 ? low + b / perBucket : low;
      while (i < q.length && q[i] <= edge) {
        i++;
      }
      first[b] = i;
    }
  }

  public static CalibrationLookup of(Calibration calibration) {
    return new CalibrationLookup(calibration);
  }

  public Calibration calibration() {
    return calibration;
  }

  /** Exactly {@code calibration().calibrate(raw)}. */
  public double calibrate(double raw) {
    if (Double.isNaN(raw) || raw >= calibration.tailStart() || raw <= low || perBucket == 0) {
      return calibration.calibrate(raw); // the tail, the edges and degenerate maps: the reference
    }
    int b = (int) ((raw - low) * perBucket);
    // Start a bucket early: every quantile before first[b - 1] is at most that bucket's lower
    // edge, a whole bucket below raw, whichever way the arithmetic rounds at an edge.
    int i = first[Math.max(0, Math.min(b, BUCKETS) - 1)];
    int n = q.length;
    while (i < n && q[i] <= raw) {
      i++;
    }
    // i: the first quantile above raw (the insertion point of the reference's binary search)
    double pos;
    if (i > 0 && q[i - 1] == raw) {
      pos = i - 1; // on a run of equal quantiles, the last one
    } else if (i == n) {
      pos = n - 1;
    } else {
      int lo = i - 1;
      pos = lo + (raw - q[lo]) / (q[i] - q[lo]);
    }
    double p = pos / (n - 1);
    return Math.min(p, 1 - calibration.tailMass());
  }
}
