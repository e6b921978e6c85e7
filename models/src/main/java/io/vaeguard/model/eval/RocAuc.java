package io.vaeguard.model.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Exact ROC-AUC: the probability that a random anomalous point scores above a random normal one,
 * ties counting one half. That is the Mann-Whitney U statistic with average ranks, divided by
 * (positives * negatives), and equals the trapezoidal area under the ROC curve.
 *
 * <p>To pool several files, pass their scores and labels concatenated, or use {@link #pooled}.
 */
public final class RocAuc {

  private RocAuc() {}

  /**
   * AUC of {@code scores} (higher = more anomalous) against 0/1 {@code labels}; NaN when the labels
   * hold only one class, where the AUC is undefined. O(n log n).
   */
  public static double compute(double[] scores, int[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(
          scores.length + " scores but " + labels.length + " labels");
    }
    int positives = 0;
    for (int i = 0; i < labels.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("score at index " + i + " is NaN; NaN cannot be ranked");
      }
      positives += Labels.isAnomalous(labels, i) ? 1 : 0;
    }
    int negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    // Sort the normal points' scores; each anomalous point then counts the normals below it and,
    // by half, those tied with it. Adding 0.0 turns -0.0 into 0.0 so the two tie.
    double[] normal = new double[negatives];
    int k = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 0) {
        normal[k++] = scores[i] + 0.0;
      }
    }
    Arrays.sort(normal);
    double u = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 1) {
        double s = scores[i] + 0.0;
        int below = firstIndexNotBelow(normal, s);
        int notAbove = firstIndexAbove(normal, s);
        u += below + 0.5 * (notAbove - below);
      }
    }
    return u / ((double) positives * negatives);
  }

  /** AUC over several files pooled into one set of points. */
  public static double pooled(List<double[]> scores, List<int[]> labels) {
    if (scores.size() != labels.size()) {
      throw new IllegalArgumentException(
          scores.size() + " score arrays but " + labels.size() + " label arrays");
    }
    int n = scores.stream().mapToInt(a -> a.length).sum();
    double[] allScores = new double[n];
    int[] allLabels = new int[n];
    int at = 0;
    for (int f = 0; f < scores.size(); f++) {
      if (scores.get(f).length != labels.get(f).length) {
        throw new IllegalArgumentException(
            "file "
                + f
                + ": "
                + scores.get(f).length
                + " scores but "
                + labels.get(f).length
                + " labels");
      }
      System.arraycopy(scores.get(f), 0, allScores, at, scores.get(f).length);
      System.arraycopy(labels.get(f), 0, allLabels, at, labels.get(f).length);
      at += scores.get(f).length;
    }
    return compute(allScores, allLabels);
  }

  private static int firstIndexNotBelow(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int firstIndexAbove(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
