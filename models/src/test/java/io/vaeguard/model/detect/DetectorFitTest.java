package io.vaeguard.model.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectorFitTest {

  /** Per-feature errors: feature 0 is noisy (scale 10), feature 1 quiet (scale 0.1). */
  private static double[][] errors(int n, double factor, long seed) {
    Random r = new Random(seed);
    double[][] e = new double[n][2];
    for (int i = 0; i < n; i++) {
      e[i][0] = factor * 10 * Math.pow(r.nextGaussian(), 2);
      e[i][1] = factor * 0.1 * Math.pow(r.nextGaussian(), 2);
    }
    return e;
  }

  @Test
  void scalesEachFeatureByItsMeanErrorOnTheTrainedRowsAndMeasuresTheGap() {
    // 800 rows the model was trained on, then 200 held out whose errors are 1.5x larger
    double[][] trained = errors(800, 1, 1);
    double[][] heldOut = errors(200, 1.5, 2);
    double[][] all = new double[1000][];
    System.arraycopy(trained, 0, all, 0, 800);
    System.arraycopy(heldOut, 0, all, 800, 200);
    double[] raw = new double[1000];
    DetectorFit.Fitted f =
        DetectorFit.fit(all, raw, List.of(1000), 800, Double.NaN, DetectorOptions.DEFAULT);
    assertThat(f.spec().errorScale(0))
        .isCloseTo(10, org.assertj.core.data.Percentage.withPercentage(20));
    assertThat(f.spec().errorScale(1))
        .isCloseTo(0.1, org.assertj.core.data.Percentage.withPercentage(20));
    assertThat(f.spec().generalisationGap())
        .isCloseTo(1.5, org.assertj.core.data.Percentage.withPercentage(15));
    assertThat(f.threshold()).isEqualTo(1 - DetectorOptions.DEFAULT_TARGET_FAR);

    // A quiet feature's 30x error is as visible as a noisy one's: that is what standardising buys.
    DetectorSpec spec = f.spec();
    double quietJump = StatisticFunction.of(spec, new double[] {10, 3}, 0, 0);
    double noisyJump = StatisticFunction.of(spec, new double[] {300, 0.1}, 0, 0);
    assertThat(quietJump).isCloseTo(noisyJump, org.assertj.core.data.Percentage.withPercentage(25));
  }

  @Test
  void theThresholdHoldsTheTargetOnFreshRowsLikeTheHeldOutOnes() {
    double[][] trained = errors(1600, 1, 3);
    double[][] heldOut = errors(400, 1.3, 4);
    double[][] all = new double[2000][];
    System.arraycopy(trained, 0, all, 0, 1600);
    System.arraycopy(heldOut, 0, all, 1600, 400);
    DetectorOptions o = new DetectorOptions(Statistic.MAX_STANDARDISED, 1, 0.01, 1, 10, 0);
    DetectorFit.Fitted f =
        DetectorFit.fit(all, new double[2000], List.of(2000), 1600, Double.NaN, o);
    double[][] fresh = errors(50_000, 1.3, 5);
    int flagged = 0;
    for (double[] e : fresh) {
      double st = StatisticFunction.of(f.spec(), e, 0, 0);
      flagged += f.calibration().calibrate(st) >= f.threshold() ? 1 : 0;
    }
    assertThat(flagged / 50_000.0).isBetween(0.002, 0.03);

    // Without the gap correction the same threshold would flag clearly more.
    DetectorFit.Fitted naive =
        DetectorFit.fit(all, new double[2000], List.of(2000), 0, Double.NaN, o);
    int naiveFlagged = 0;
    for (double[] e : fresh) {
      naiveFlagged +=
          naive.calibration().calibrate(StatisticFunction.of(naive.spec(), e, 0, 0))
                  >= naive.threshold()
              ? 1
              : 0;
    }
    assertThat(naiveFlagged).isGreaterThan(flagged);
  }

  @Test
  void everySegmentsAverageStartsAtTheFittingRowsMean() {
    double[][] e = new double[20][2];
    double[] raw = new double[20];
    for (int i = 0; i < 20; i++) {
      raw[i] = i < 10 ? 100 : 1; // a first entity far above the second
    }
    DetectorOptions o = new DetectorOptions(Statistic.RAW, 0.1, 0.01, 1, 10, 0);
    DetectorFit.Fitted two = DetectorFit.fit(e, raw, List.of(10, 10), 0, Double.NaN, o);
    assertThat(two.spec().baseline()).isCloseTo(50.5, org.assertj.core.data.Offset.offset(1e-9));
    // The second entity starts again at 50.5 and falls for 10 rows towards 1.
    double expectedLowest = 1 + 49.5 * Math.pow(0.9, 10);
    assertThat(two.calibration().quantiles()[0])
        .isCloseTo(expectedLowest, org.assertj.core.data.Offset.offset(1e-9));
    // As one segment, the second half would go on from the first half's high average instead.
    DetectorFit.Fitted one = DetectorFit.fit(e, raw, List.of(20), 0, Double.NaN, o);
    assertThat(one.calibration().quantiles()[0]).isGreaterThan(expectedLowest + 5);
  }

  @Test
  void theSpikeChannelAndTheCapCanBeSwitchedOffAndTheCardSaysSo() {
    double[][] e = errors(2000, 1, 6);
    double[] raw = new double[2000];
    DetectorOptions on = DetectorOptions.DEFAULT;
    DetectorFit.Fitted both = DetectorFit.fit(e, raw, List.of(2000), 1600, Double.NaN, on);
    assertThat(both.spec().instantCalibration()).isNotNull();
    assertThat(both.spec().cap()).isPositive();
    assertThat(on.describe()).contains("capped").contains("with a spike channel");

    DetectorFit.Fitted noSpike =
        DetectorFit.fit(e, raw, List.of(2000), 1600, Double.NaN, on.withStages(false, true, true));
    assertThat(noSpike.spec().instantCalibration()).isNull();
    assertThat(noSpike.spec().cap()).isPositive();
    DetectorFit.Fitted noCap =
        DetectorFit.fit(e, raw, List.of(2000), 1600, Double.NaN, on.withStages(true, false, true));
    assertThat(noCap.spec().instantCalibration()).isNotNull();
    assertThat(noCap.spec().cap()).isZero();
    assertThat(on.withStages(false, false, true).describe())
        .contains("not capped")
        .contains("no spike channel");

    // What each stage does, on one entity: a one-row spike, then a long run far out.
    Detector withSpike = detector(both);
    Detector withoutSpike = detector(noSpike);
    double spike = both.spec().instantCalibration().rawAt(0.99999);
    assertThat(anomalousRows(withSpike, spike, 1))
        .as("the spike channel flags a one-row spike")
        .isPositive();
    assertThat(anomalousRows(withoutSpike, spike, 1)).as("the average alone does not").isZero();

    Detector capped = detector(both);
    Detector uncapped = detector(noCap);
    double huge = spike * 1000;
    assertThat(tailAfter(uncapped, huge))
        .as("uncapped, a huge anomaly keeps the average up for long")
        .isGreaterThan(tailAfter(capped, huge) + 10);
  }

  private static Detector detector(DetectorFit.Fitted f) {
    io.vaeguard.model.card.ModelCard card =
        new io.vaeguard.model.card.ModelCard(
            "m",
            "1",
            null,
            "model.onnx",
            "fp32",
            List.of("a", "b"),
            1,
            List.of(4),
            2,
            new io.vaeguard.model.card.Scaler(new double[] {0, 0}, new double[] {1, 1}),
            0,
            f.calibration(),
            f.threshold(),
            "test",
            1,
            f.spec(),
            null,
            null);
    return Detector.of(card);
  }

  /**
   * Anomalous rows among 30 typical rows, then {@code length} rows at {@code level}, then 30
   * typical rows.
   */
  private static int anomalousRows(Detector d, double level, int length) {
    DetectorState s = null;
    int anomalous = 0;
    long t = 0;
    for (int i = 0; i < 60 + length; i++) {
      double x = i >= 30 && i < 30 + length ? level : 1;
      Detector.Step step = d.step(s, x, t += 1000);
      s = step.state();
      anomalous += step.decision().anomalous() ? 1 : 0;
    }
    return anomalous;
  }

  /** Rows after 5 rows at {@code level} until the detector calls a typical row normal again. */
  private static int tailAfter(Detector d, double level) {
    DetectorState s = null;
    long t = 0;
    for (int i = 0; i < 30; i++) {
      s = d.step(s, 1, t += 1000).state();
    }
    for (int i = 0; i < 5; i++) {
      s = d.step(s, level, t += 1000).state();
    }
    for (int i = 0; i < 10_000; i++) {
      Detector.Step step = d.step(s, 1, t += 1000);
      s = step.state();
      if (!step.decision().anomalous()) {
        return i;
      }
    }
    return 10_000;
  }
}
