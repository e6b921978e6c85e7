package io.vaeguard.model.eval;

/**
 * Point-wise detection counts and the rates made from them. Counts add up ({@link #plus}), so the
 * results of several files pool into one total, as SKAB's protocol asks (F1 over all test points of
 * all files together, not the mean of per-file F1).
 *
 * <p>A rate whose denominator is zero is 0 (no alerts: precision 0; no anomalies: MAR 0%; no normal
 * points: FAR 0%), so a file without anomalies still pools cleanly.
 *
 * @param tp labelled anomalous, predicted anomalous
 * @param fp labelled normal, predicted anomalous
 * @param tn labelled normal, predicted normal
 * @param fn labelled anomalous, predicted normal
 */
public record DetectionMetrics(long tp, long fp, long tn, long fn) {

  public static final DetectionMetrics EMPTY = new DetectionMetrics(0, 0, 0, 0);

  public DetectionMetrics {
    if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0, got tp=" + tp + " fp=" + fp + " tn=" + tn + " fn=" + fn);
    }
  }

  /** Counts over points; {@code labels} are 0 (normal) or 1 (anomalous). */
  public static DetectionMetrics of(int[] labels, boolean[] predicted) {
    if (labels.length != predicted.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + predicted.length + " predictions");
    }
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    for (int i = 0; i < labels.length; i++) {
      boolean actual = Labels.isAnomalous(labels, i);
      if (actual) {
        if (predicted[i]) {
          tp++;
        } else {
          fn++;
        }
      } else if (predicted[i]) {
        fp++;
      } else {
        tn++;
      }
    }
    return new DetectionMetrics(tp, fp, tn, fn);
  }

  /** As {@link #of(int[], boolean[])} with predictions 0 or 1. */
  public static DetectionMetrics of(int[] labels, int[] predicted) {
    return of(labels, Labels.toBooleans(predicted, "prediction"));
  }

  /** Pools two sets of counts. */
  public DetectionMetrics plus(DetectionMetrics other) {
    return new DetectionMetrics(tp + other.tp, fp + other.fp, tn + other.tn, fn + other.fn);
  }

  public long total() {
    return tp + fp + tn + fn;
  }

  public double precision() {
    return ratio(tp, tp + fp);
  }

  public double recall() {
    return ratio(tp, tp + fn);
  }

  /** 2TP / (2TP + FP + FN), the harmonic mean of precision and recall. */
  public double f1() {
    return ratio(2 * tp, 2 * tp + fp + fn);
  }

  /** False alarm rate in percent: FP / (FP + TN) * 100. */
  public double farPercent() {
    return 100 * ratio(fp, fp + tn);
  }

  /** Missed alarm rate in percent: FN / (FN + TP) * 100. */
  public double marPercent() {
    return 100 * ratio(fn, fn + tp);
  }

  private static double ratio(long num, long den) {
    return den == 0 ? 0 : (double) num / den;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "F1 %.3f precision %.3f recall %.3f FAR %.1f%% MAR %.1f%% (TP %d FP %d TN %d FN %d)",
        f1(),
        precision(),
        recall(),
        farPercent(),
        marPercent(),
        tp,
        fp,
        tn,
        fn);
  }
}
