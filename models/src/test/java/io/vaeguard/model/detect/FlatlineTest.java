package io.vaeguard.model.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.model.calibration.Calibration;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatlineTest {

  @Test
  void equalRowsHaveEqualFingerprintsAndOthersDoNot() {
    float[] a = {1.5f, 2.25f, 3f, 1.5f, 2.25f, 3f};
    assertThat(Flatline.fingerprint(a, 0, 3)).isEqualTo(Flatline.fingerprint(a, 3, 3));
    assertThat(Flatline.fingerprint(new double[] {1.5, 2.25, 3}))
        .isEqualTo(Flatline.fingerprint(a, 0, 3));
    assertThat(Flatline.fingerprint(new double[] {1.5, 2.25, 3.0001}))
        .isNotEqualTo(Flatline.fingerprint(a, 0, 3));
    assertThat(Flatline.fingerprint(new double[] {2.25, 1.5, 3}))
        .as("order matters")
        .isNotEqualTo(Flatline.fingerprint(a, 0, 3));
    assertThat(Flatline.fingerprint(new float[] {0}, 0, 1)).isNotEqualTo(Flatline.UNKNOWN);
  }

  @Test
  void theLongestRunIsCountedPerSegmentAndSetsTheAlertLength() {
    double[][] first = {{1}, {2}, {2}, {2}, {3}}; // two repeats in a row
    double[][] second = {{3}, {4}, {5}};
    assertThat(Flatline.longestRun(List.of(first, second))).isEqualTo(2);
    assertThat(
            Flatline.longestRun(
                List.<double[][]>of(new double[][] {{1}, {1}}, new double[][] {{1}})))
        .as("a run never crosses segments")
        .isEqualTo(1);
    assertThat(Flatline.alertAfter(0)).isEqualTo(5);
    assertThat(Flatline.alertAfter(2)).isEqualTo(6);
    assertThat(Flatline.alertAfter(10)).isEqualTo(22);
  }

  private static Detector detector(int flatlineAfter) {
    Random r = new Random(3);
    double[] fit = new double[500];
    for (int i = 0; i < fit.length; i++) {
      fit[i] = 1 + r.nextDouble();
    }
    DetectorSpec spec =
        new DetectorSpec(Statistic.RAW, null, 1, 1, 0.001, 10, 0, 0, null, 0, flatlineAfter);
    ModelCard card =
        new ModelCard(
            "m",
            "1",
            null,
            "model.onnx",
            "fp32",
            List.of("v"),
            1,
            List.of(4),
            2,
            new Scaler(new double[] {0}, new double[] {1}),
            0,
            Calibration.fit(fit),
            0.999,
            "test",
            1,
            spec,
            null,
            null);
    return Detector.of(card, Duration.ofSeconds(60), Double.NaN);
  }

  /** 10 varying rows, then {@code stuck} rows with one value, all with a normal statistic. */
  private static List<io.vaeguard.model.detect.Decision> run(Detector d, int stuck, boolean known) {
    List<io.vaeguard.model.detect.Decision> out = new ArrayList<>();
    DetectorState s = null;
    for (int i = 0; i < 10 + stuck; i++) {
      double value = i < 10 ? i : 42;
      long print = known ? Flatline.fingerprint(new double[] {value}) : Flatline.UNKNOWN;
      Detector.Step step = d.step(s, 1.5, i * 1000L, print);
      s = step.state();
      out.add(step.decision());
    }
    return out;
  }

  @Test
  void aStuckInputAlertsAfterTheRunLengthWithSeverityGrowingWithTheRun() {
    List<io.vaeguard.model.detect.Decision> ds = run(detector(5), 200, true);
    // row 10 is the first 42; rows 11.. repeat it: repeat k is row 10 + k
    for (int i = 0; i < 15; i++) {
      assertThat(ds.get(i).anomalous()).as("row %d", i).isFalse();
    }
    assertThat(ds.get(15).anomalous()).as("the fifth repeat").isTrue();
    assertThat(ds.get(15).event()).isEqualTo(AlertEvent.OPEN);
    assertThat(ds.get(15).severity()).isBetween(1, 5);
    assertThat(ds.get(209).severity()).as("40x the run: 1 + 25 log10(40)").isBetween(38, 42);

    assertThat(run(detector(0), 200, true))
        .as("off")
        .noneMatch(io.vaeguard.model.detect.Decision::anomalous);
    assertThat(run(detector(5), 200, false))
        .as("inputs not known")
        .noneMatch(io.vaeguard.model.detect.Decision::anomalous);
  }

  @Test
  void theFitSetsTheRunLengthFromTheFittingRowsUnlessSwitchedOff() {
    Random r = new Random(4);
    double[][] e = new double[300][1];
    double[] raw = new double[300];
    for (int i = 0; i < 300; i++) {
      raw[i] = 1 + r.nextDouble();
    }
    DetectorOptions o = new DetectorOptions(Statistic.RAW, 0.1, 0.01, 1, 10, 0);
    assertThat(DetectorFit.fit(e, raw, List.of(300), 0, Double.NaN, o, 3).spec().flatlineAfter())
        .isEqualTo(8);
    assertThat(
            DetectorFit.fit(e, raw, List.of(300), 0, Double.NaN, o.withStages(true, true, false), 3)
                .spec()
                .flatlineAfter())
        .isZero();
    assertThat(DetectorFit.fit(e, raw, List.of(300), 0, Double.NaN, o).spec().flatlineAfter())
        .as("run length not known")
        .isZero();
    assertThat(o.describe()).contains("flatline channel");
    assertThat(o.withStages(true, true, false).describe()).doesNotContain("flatline");
  }
}
