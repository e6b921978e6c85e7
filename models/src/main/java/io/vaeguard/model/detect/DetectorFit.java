package io.vaeguard.model.detect;

import io.vaeguard.model.calibration.Calibration;
import java.util.List;

/**
 * Fits the detector on the fitting rows alone (never on labels): the per-feature error scales on
 * the rows the model was trained on, the generalisation gap on the rows held out from training,
 * and the calibration of the smoothed statistic, from which the threshold for the target
 * false-alarm rate follows.
 *
 * <p>Why the gap: the rows a model was trained on reconstruct better than new normal rows, so a
 * threshold set on them alone flags too many new normal rows (on TEP, a 99% limit set on d00 flags
 * 9-13% of d00_te). Scaling the fitting rows' statistics by (mean on held-out rows) / (mean on
 * trained rows) before calibrating measures that optimism on the data itself.
 */
public final class DetectorFit {

  /** The largest gap believed; a larger one means the held-out rows are not like the rest. */
  static final double MAX_GAP = 10;

  private DetectorFit() {}

  /**
   * What was fitted.
   *
   * @param spec the card's detector section
   * @param calibration of the smoothed (gap-corrected) statistic
   * @param threshold calibrated score for the target false-alarm rate
   */
  public record Fitted(DetectorSpec spec, Calibration calibration, double threshold) {}

  /**
   * @param featureErrors per fitting window, per feature: its part of E ({@code [n][features]})
   * @param rawScores per fitting window: the raw score
   * @param segments windows per segment (entity), in order; they sum to n
   * @param trainedOn the first windows the model was trained on (the rest were held out); 0 when
   *     not known
   * @param knownGap the generalisation gap to use when {@code trainedOn} leaves no held-out rows to
   *     measure it on (NaN: 1)
   */
  public static Fitted fit(double[][] featureErrors, double[] rawScores, List<Integer> segments, int trainedOn,
      double knownGap, DetectorOptions o) {
    int n = rawScores.length;
    if (n < 10) {
      throw new IllegalArgumentException("the detector needs at least 10 fitting rows, got " + n);
    }
    int scaleRows = trainedOn > 0 && trainedOn <= n ? trainedOn : n;
    double[] scale = null;
    if (o.statistic().standardised()) {
      int f = featureErrors[0].length;
      scale = new double[f];
      for (int i = 0; i < scaleRows; i++) {
        for (int j = 0; j < f; j++) {
          scale[j] += featureErrors[i][j];
        }
      }
      double largest = 0;
      for (int j = 0; j < f; j++) {
        scale[j] /= scaleRows;
        largest = Math.max(largest, scale[j]);
      }
      // A feature the model reconstructs perfectly (a constant) must not divide by zero.
      double floor = Math.max(1e-12, 1e-6 * largest);
      for (int j = 0; j < f; j++) {
        scale[j] = Math.max(scale[j], floor);
      }
    }
    DetectorSpec provisional = new DetectorSpec(o.statistic(), scale, o.smoothing(), 1, o.targetFar(), o.resolveAfter(),
        o.adaptHalfLife(), 0);
    double[] stat = new double[n];
    for (int i = 0; i < n; i++) {
      stat[i] = StatisticFunction.of(provisional, featureErrors[i], 0, rawScores[i]);
    }
    double gap = Double.isNaN(knownGap) ? 1 : Math.min(MAX_GAP, Math.max(1, knownGap));
    if (trainedOn > 0 && trainedOn < n) {
      double in = mean(stat, 0, trainedOn);
      double out = mean(stat, trainedOn, n);
      if (in > 0 && Double.isFinite(out / in)) {
        gap = Math.min(MAX_GAP, Math.max(1, out / in));
      }
    }
    double[] smoothed = new double[n];
    int from = 0;
    for (int len : segments) {
      double s = 0;
      for (int i = 0; i < len; i++) {
        double x = stat[from + i];
        s = i == 0 ? x : o.smoothing() * x + (1 - o.smoothing()) * s;
        smoothed[from + i] = s * gap;
      }
      from += len;
    }
    if (from != n) {
      throw new IllegalArgumentException("segments cover " + from + " windows of " + n);
    }
    Calibration calibration = Calibration.fit(smoothed);
    DetectorSpec spec = new DetectorSpec(o.statistic(), scale, o.smoothing(), gap, o.targetFar(), o.resolveAfter(),
        o.adaptHalfLife(), mean(smoothed, 0, n));
    return new Fitted(spec, calibration, 1 - o.targetFar());
  }

  private static double mean(double[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
    }
    return s / Math.max(1, to - from);
  }
}
