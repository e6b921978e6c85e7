package io.vaeguard.model.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Causal sliding windows over rows: window {@code i} belongs to row {@code t = i + W - 1} and holds
 * rows {@code t-W+1..t}, oldest first, so a window's score uses only row t and earlier ones.
 * Flattened as {@code [row t features..., ..., row t+W-1 features...]}, the same order the
 * streaming job keeps its last W observations in.
 */
public final class Windows {

  private Windows() {}

  /** Number of full windows of length {@code w} over {@code rows} rows. */
  public static int count(int rows, int w) {
    checkLength(w);
    return Math.max(0, rows - w + 1);
  }

  /** The row a window belongs to: its newest row. */
  public static int rowOf(int window, int w) {
    checkLength(w);
    return window + w - 1;
  }

  /**
   * Flattened windows, {@code (n - w + 1) x (w * F)}; {@code w = 1} copies the rows.
   *
   * @throws IllegalArgumentException if there are fewer than {@code w} rows or rows are ragged
   */
  public static double[][] of(double[][] rows, int w) {
    checkLength(w);
    if (rows.length < w) {
      throw new IllegalArgumentException(
          "windows of " + w + " rows need at least " + w + " rows, got " + rows.length);
    }
    int f = rows[0].length;
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != f) {
        throw new IllegalArgumentException(
            "row " + r + " has " + rows[r].length + " values, row 0 has " + f);
      }
    }
    double[][] out = new double[count(rows.length, w)][w * f];
    for (int t = 0; t < out.length; t++) {
      for (int k = 0; k < w; k++) {
        System.arraycopy(rows[t + k], 0, out[t], k * f, f);
      }
    }
    return out;
  }

  /**
   * Names of the flattened window's columns: {@code name@t-2, ..., name@t} per row position; {@code
   * w = 1} keeps the names as they are.
   */
  public static List<String> names(List<String> features, int w) {
    checkLength(w);
    if (w == 1) {
      return List.copyOf(features);
    }
    List<String> out = new ArrayList<>(w * features.size());
    for (int k = 0; k < w; k++) {
      int lag = w - 1 - k;
      for (String name : features) {
        out.add(lag == 0 ? name + "@t" : name + "@t-" + lag);
      }
    }
    return out;
  }

  private static void checkLength(int w) {
    if (w < 1) {
      throw new IllegalArgumentException("window length must be at least 1, got " + w);
    }
  }
}
