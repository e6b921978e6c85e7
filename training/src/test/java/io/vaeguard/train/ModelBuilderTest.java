package io.vaeguard.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorOptions;
import io.vaeguard.model.detect.DetectorState;
import io.vaeguard.model.detect.Statistic;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train, export, check and calibrate end to end: what `vaeguard train` relies on. */
class ModelBuilderTest {

  @TempDir static Path dir;
  static ModelBuilder.Built built;

  /** Two entities of 4 channels driven by 2 factors plus noise, on different levels. */
  static double[][] entity(long seed, int n, double offset) {
    Random r = new Random(seed);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      double a = Math.sin(i / 30.0) + 0.3 * r.nextGaussian();
      double b = Math.cos(i / 50.0) + 0.3 * r.nextGaussian();
      rows[i] =
          new double[] {
            offset + 10 * a + 0.2 * r.nextGaussian(),
            5 * b + 0.2 * r.nextGaussian(),
            100 + 3 * (a + b) + 0.2 * r.nextGaussian(),
            2 * a - b + 0.1 * r.nextGaussian()
          };
    }
    return rows;
  }

  @BeforeAll
  static void build() {
    ModelBuilder.Request req =
        new ModelBuilder.Request(
            "test-model",
            "7",
            "unit test",
            List.of("a", "b", "c", "d"),
            List.of(entity(1, 800, 50), entity(2, 800, 52)),
            3,
            TrainConfig.builder().hidden(32, 16).latent(3).epochs(40).seed(5).build(),
            new DetectorOptions(Statistic.MAX_STANDARDISED, 0.2, 0.01, 2, 10, 0),
            0.0,
            Set.of(Precision.FP32, Precision.INT8));
    built = ModelBuilder.build(req, dir.resolve("m"), TrainListener.NONE);
  }

  @Test
  void writesAModelAndACardPerPrecision() {
    for (Precision p : List.of(Precision.FP32, Precision.INT8)) {
      Path sub = dir.resolve("m").resolve(p.id());
      assertThat(sub.resolve("model.onnx")).isRegularFile();
      ModelCard card = ModelCards.read(sub.resolve("model.json"));
      assertThat(card).isEqualTo(built.cards().get(p));
      assertThat(card.precision()).isEqualTo(p.id());
      assertThat(card.features()).containsExactly("a", "b", "c", "d");
      assertThat(card.window()).isEqualTo(3);
      assertThat(card.inputDim()).isEqualTo(12);
      assertThat(card.persistence()).isEqualTo(2);
      assertThat(card.training().seed()).isEqualTo(5);
      // Windows never cross entities: 2 x (800 - 3 + 1) windows in all.
      assertThat(card.training().rows() + card.training().validationRows()).isEqualTo(2 * 798);
    }
    assertThat(Files.exists(dir.resolve("m").resolve("fp16w"))).isFalse();
  }

  @Test
  void onnxRuntimeMatchesTheTrainedNetwork() {
    // The builder runs the held-out rows through PyTorch and ONNX Runtime and records the largest
    // gap.
    double fp32 = built.cards().get(Precision.FP32).validation().get("exportMaxAbsDiff");
    double int8 = built.cards().get(Precision.INT8).validation().get("exportMaxAbsDiff");
    assertThat(fp32).isLessThan(1e-4);
    assertThat(int8).isGreaterThan(fp32).isLessThan(0.5);
    assertThat(built.cards().get(Precision.FP32).validation().get("exportCheckRows"))
        .isGreaterThan(100);
  }

  @Test
  void thresholdFollowsTheRuleAndNormalRowsStayBelowIt() {
    ModelCard card = built.cards().get(Precision.FP32);
    double rawThreshold = card.calibration().rawAt(card.threshold());
    assertThat(rawThreshold)
        .isCloseTo(
            card.validation().get("rawThreshold"),
            org.assertj.core.data.Percentage.withPercentage(0.1));
    // The threshold is 1 - the target false-alarm rate; the detector section says how it was
    // fitted.
    assertThat(card.threshold()).isEqualTo(0.99);
    assertThat(card.detector().statistic()).isEqualTo(Statistic.MAX_STANDARDISED);
    assertThat(card.detector().errorScale()).hasSize(4);
    assertThat(java.util.Arrays.stream(card.detector().errorScale()).min().getAsDouble())
        .isPositive();
    assertThat(card.detector().generalisationGap()).isGreaterThanOrEqualTo(1.0);
    assertThat(card.thresholdRule()).contains("target false-alarm rate 0.01");

    double[][] fresh = entity(3, 300, 51);
    double[][] anomalous = entity(3, 300, 51);
    for (double[] row : anomalous) {
      row[2] += 15; // c leaves its relation to a and b: 5 sigma of its noise-free spread
    }
    try (VaeScorer scorer =
        VaeScorer.open(dir.resolve("m"), Precision.FP32, ScorerOptions.defaults())) {
      double normalAbove = fractionAbove(scorer, fresh);
      double anomalousAbove = fractionAbove(scorer, anomalous);
      assertThat(normalAbove).isLessThan(0.05);
      assertThat(anomalousAbove).isGreaterThan(0.9);
    }
  }

  private static double fractionAbove(VaeScorer scorer, double[][] rows) {
    int w = 3;
    int d = 12;
    int n = rows.length - w + 1;
    float[] buf = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < w; k++) {
        for (int j = 0; j < 4; j++) {
          buf[i * d + k * 4 + j] = (float) rows[i + k][j];
        }
      }
    }
    ScoreBatch b = scorer.score(buf, n);
    Detector detector = Detector.of(scorer.card());
    DetectorState state = null;
    int above = 0;
    for (int i = 0; i < n; i++) {
      Detector.Step step = detector.step(state, b.statistic(i), i * 1000L);
      state = step.state();
      assertThat(step.decision().score()).isBetween(0.0, 1.0);
      above += step.decision().anomalous() ? 1 : 0;
    }
    return (double) above / n;
  }

  @Test
  void refusesTooFewRows() {
    assertThatThrownBy(
            () ->
                new ModelBuilder.Request(
                    "m",
                    "1",
                    "tiny.csv",
                    List.of("a"),
                    List.<double[][]>of(new double[][] {{1}, {2}, {3}}),
                    1,
                    TrainConfig.defaults(),
                    DetectorOptions.DEFAULT,
                    0,
                    Set.of(Precision.FP32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too few rows to train");
  }
}
