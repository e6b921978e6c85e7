package io.vaeguard.model.detect;

import java.util.List;

/**
 * The detector's flatline channel: a sensor stuck at one value repeats its reading exactly, row
 * after row, which a reconstruction model finds perfectly normal (a flat window is easy to
 * reconstruct). The detector counts, per entity, how many rows in a row repeat the previous row's
 * inputs exactly, and a run longer than any the fitting rows had is anomalous.
 *
 * <p>Rows are compared by a 64-bit fingerprint of their values as floats (what the job's rows
 * carry), so the state holds one number per entity, not a row.
 */
public final class Flatline {

  /** A fingerprint that matches nothing: the row's inputs are not known. */
  public static final long UNKNOWN = 0;

  /** The shortest run that alerts, whatever the fitting rows had: five repeats in a row. */
  static final int MIN_ALERT_AFTER = 5;

  private Flatline() {}

  /** The fingerprint of {@code len} values from {@code from}: equal values, equal fingerprints. */
  public static long fingerprint(float[] values, int from, int len) {
    long h = 0xcbf29ce484222325L; // FNV-1a over the floats' bits, then mixed
    for (int i = from; i < from + len; i++) {
      h ^= Float.floatToIntBits(values[i]);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h == UNKNOWN ? 1 : h;
  }

  /** The fingerprint of one row of doubles, as floats. */
  public static long fingerprint(double[] row) {
    float[] f = new float[row.length];
    for (int j = 0; j < row.length; j++) {
      f[j] = (float) row[j];
    }
    return fingerprint(f, 0, f.length);
  }

  /**
   * The longest run of rows that repeat the row before them exactly, over chronological segments
   * (one per entity; runs never cross segments).
   */
  public static int longestRun(List<double[][]> segments) {
    int longest = 0;
    for (double[][] seg : segments) {
      int run = 0;
      long previous = UNKNOWN;
      for (double[] row : seg) {
        long print = fingerprint(row);
        run = print == previous ? run + 1 : 0;
        longest = Math.max(longest, run);
        previous = print;
      }
    }
    return longest;
  }

  /**
   * Repeats in a row from which a run alerts: twice the longest run of the fitting rows (plus one),
   * at least {@link #MIN_ALERT_AFTER}.
   */
  public static int alertAfter(int longestFittingRun) {
    return Math.max(MIN_ALERT_AFTER, 2 * (longestFittingRun + 1));
  }
}
