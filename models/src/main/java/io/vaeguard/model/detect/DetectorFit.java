package io.vaeguard.model.detect;

import io.vaeguard.model.calibration.Calibration;
import java.util.List;

/**
 * Fits the detector on the fitting rows alone (never on labels): the per-feature error scales on
 * the rows the model was trained on, the generalisation gap on the rows held out from training, and
 * the calibration of the smoothed statistic, from which the threshold for the target false-alarm
 * rate follows.
 *
 * <p>With smoothing on, a second calibration covers the row's own statistic: a spike too short to
 * move the average still alerts (the EWMA and Shewhart charts of process control, side by side).
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
   * {@link #fit(double[][], double[], List, int, double, DetectorOptions, int)} without the
   * flatline channel.
   */
  public static Fitted fit(
      double[][] featureErrors,
      double[] rawScores,
      List<Integer> segments,
      int trainedOn,
      double knownGap,
      DetectorOptions o) {
    return fit(featureErrors, rawScores, segments, trainedOn, knownGap, o, -1);
  }

  /**
   * @param featureErrors per fitting window, per feature: its part of E ({@code [n][features]})
   * @param rawScores per fitting window: the raw score
   * @param segments windows per segment (entity), in order; they sum to n
   * @param trainedOn the first windows the model was trained on (the rest were held out); 0 when
   *     not known
   * @param knownGap the generalisation gap to use when {@code trainedOn} leaves no held-out rows to
   *     measure it on (NaN: 1)
   * @param longestFlatRun the longest run of fitting rows repeating their inputs exactly ({@link
   *     Flatline#longestRun}); negative: not known, the flatline channel stays off
   */
  public static Fitted fit(
      double[][] featureErrors,
      double[] rawScores,
      List<Integer> segments,
      int trainedOn,
      double knownGap,
      DetectorOptions o,
      int longestFlatRun) {
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
    DetectorSpec provisional =
        new DetectorSpec(
            o.statistic(),
            scale,
            o.smoothing(),
            1,
            o.targetFar(),
            o.resolveAfter(),
            o.adaptHalfLife(),
            0,
            null,
            0,
            0);
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
    double[] scaled = new double[n];
    for (int i = 0; i < n; i++) {
      scaled[i] = stat[i] * gap;
    }
    Calibration instant = null;
    Calibration calibration;
    double cap = 0;
    double start;
    if (o.smoothing() < 1) {
      double budget = Math.min(o.targetFar(), 0.49);
      double firstCap = Double.POSITIVE_INFINITY;
      if (o.spikeChannel()) {
        instant = Calibration.fit(scaled);
        // rows beyond the spike channel's alert level alert anyway: the average need not carry them
        firstCap = instant.rawAt(1 - budget * Detector.SPIKE_SHARE);
      }
      double capAt = Double.POSITIVE_INFINITY;
      if (o.cap()) {
        // Capped at twice the average's alert level's height above the mean. The average decays
        // towards the mean, so after an anomaly of any size it is back under its threshold within
        // ln 2 / -ln(1 - a) rows (6.6 at a = 0.1), while a lasting shift still holds it above.
        Calibration first = Calibration.fit(smooth(scaled, segments, firstCap, o.smoothing()));
        double level = first.rawAt(1 - budget * (o.spikeChannel() ? 1 - Detector.SPIKE_SHARE : 1));
        double mean = startOf(scaled, firstCap);
        capAt = Math.min(firstCap, mean + CAP_OVER_THRESHOLD * Math.max(level - mean, 0));
        if (!(capAt > 0)) {
          capAt = firstCap;
        }
      }
      calibration = Calibration.fit(smooth(scaled, segments, capAt, o.smoothing()));
      start = startOf(scaled, capAt);
      cap = Double.isFinite(capAt) ? capAt : 0;
    } else {
      calibration = Calibration.fit(scaled);
      start = startOf(scaled, Double.POSITIVE_INFINITY);
    }
    DetectorSpec spec =
        new DetectorSpec(
            o.statistic(),
            scale,
            o.smoothing(),
            gap,
            o.targetFar(),
            o.resolveAfter(),
            o.adaptHalfLife(),
            start,
            instant,
            cap,
            o.flatline() && longestFlatRun >= 0 ? Flatline.alertAfter(longestFlatRun) : 0);
    return new Fitted(spec, calibration, 1 - o.targetFar());
  }

  /** The cap's height above the mean, in heights of the average's alert level above the mean. */
  static final double CAP_OVER_THRESHOLD = 2;

  /** Where every entity's average starts: the mean capped statistic of the fitting rows. */
  private static double startOf(double[] scaled, double cap) {
    double s = 0;
    for (double v : scaled) {
      s += Math.min(v, cap);
    }
    return s / scaled.length;
  }

  /** The capped moving average of every segment, each started at {@link #startOf}. */
  private static double[] smooth(double[] scaled, List<Integer> segments, double cap, double a) {
    int n = scaled.length;
    double start = startOf(scaled, cap);
    double[] smoothed = new double[n];
    int from = 0;
    for (int len : segments) {
      double s = start;
      for (int i = 0; i < len; i++) {
        s = a * Math.min(scaled[from + i], cap) + (1 - a) * s;
        smoothed[from + i] = s;
      }
      from += len;
    }
    if (from != n) {
      throw new IllegalArgumentException("segments cover " + from + " windows of " + n);
    }
    return smoothed;
  }

  private static double mean(double[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
    }
    return s / Math.max(1, to - from);
  }
}
