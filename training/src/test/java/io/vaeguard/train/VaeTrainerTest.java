package io.vaeguard.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vaeguard.model.VaeWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class VaeTrainerTest {

  private static final TrainConfig SMALL =
      TrainConfig.builder().hidden(16, 8).latent(2).epochs(5).batchSize(32).build();

  @Test
  void learnsLowRankStructureAndRanksAnomaliesAbove() {
    Synthetic gen = new Synthetic(7);
    float[][] rows = gen.normal(2000);
    TrainConfig cfg = TrainConfig.builder().epochs(60).patience(10).build();

    TrainResult result = VaeTrainer.train(rows, cfg, TrainListener.NONE);

    float[][] heldOut = gen.normal(500);
    double[] normal = errors(result.weights(), heldOut);
    double[] shifted = errors(result.weights(), Synthetic.shifted(heldOut, 3, 6f));
    double[] broken = errors(result.weights(), gen.decorrelated(heldOut, 5));
    System.out.printf(
        "synthetic 2000x8, hidden %s latent %d: %d epochs (best %d), %.0f samples/s,"
            + " held-out MSE %.4f, shifted %.3f, decorrelated %.3f, AUC %.4f / %.4f%n",
        cfg.hidden(),
        cfg.latent(),
        result.epochsRun(),
        result.bestEpoch(),
        result.samplesPerSecond(),
        mean(normal),
        mean(shifted),
        mean(broken),
        auc(normal, shifted),
        auc(normal, broken));

    assertThat(result.trainRows()).isEqualTo(1600);
    assertThat(result.validationRows()).isEqualTo(400);
    assertThat(mean(normal)).isLessThan(0.1);
    assertThat(mean(shifted) / mean(normal)).isGreaterThan(5);
    assertThat(auc(normal, shifted)).isGreaterThan(0.95);
    assertThat(auc(normal, broken)).isGreaterThan(0.85);
    assertThat(result.samplesPerSecond()).isPositive();
  }

  @Test
  void sameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot() {
    float[][] rows = new Synthetic(1).normal(300);

    VaeWeights a = VaeTrainer.train(rows, SMALL).weights();
    VaeWeights b = VaeTrainer.train(rows, SMALL).weights();
    VaeWeights c = VaeTrainer.train(rows, SMALL.toBuilder().seed(43).build()).weights();

    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
  }

  /**
   * Guards against native memory freed under the autograd graph (see TorchVae): collections during
   * training must not change a single bit.
   */
  @Test
  void sameSeedIsBitIdenticalUnderGcPressure() throws InterruptedException {
    float[][] rows = new Synthetic(5).normal(300);
    VaeWeights reference = VaeTrainer.train(rows, SMALL).weights();
    AtomicBoolean stop = new AtomicBoolean();
    Thread collector =
        new Thread(
            () -> {
              while (!stop.get()) {
                byte[][] garbage = new byte[64][];
                for (int i = 0; i < garbage.length; i++) {
                  garbage[i] = new byte[16 * 1024];
                }
                System.gc();
              }
            },
            "gc-pressure");
    collector.setDaemon(true);
    collector.start();
    try {
      for (int run = 0; run < 6; run++) {
        assertThat(VaeTrainer.train(rows, SMALL).weights()).as("run %d", run).isEqualTo(reference);
      }
    } finally {
      stop.set(true);
      collector.join();
    }
  }

  @Test
  void torchForwardMatchesJavaReference() {
    float[][] rows = new Synthetic(2).normal(200);
    VaeWeights w = VaeTrainer.train(rows, SMALL).weights();

    VaeOutputs out = VaeTrainer.forward(w, rows);

    for (int i = 0; i < rows.length; i++) {
      double[] x = new double[rows[i].length];
      for (int j = 0; j < x.length; j++) {
        x[j] = rows[i][j];
      }
      double[][] ref = w.forward(x);
      assertClose(out.recon()[i], ref[0]);
      assertClose(out.mu()[i], ref[1]);
      assertClose(out.logvar()[i], ref[2]);
    }
  }

  @Test
  void stopsEarlyOnAPlateauAndKeepsTheBestEpoch() {
    float[][] rows = new Synthetic(3).noise(400);
    TrainConfig cfg = SMALL.toBuilder().epochs(500).patience(3).learningRate(1e-2).build();
    List<Double> seen = new ArrayList<>();

    TrainResult r = VaeTrainer.train(rows, cfg, (epoch, max, train, val) -> seen.add(val));

    assertThat(r.epochsRun()).isLessThan(500).isEqualTo(r.bestEpoch() + 3);
    assertThat(r.history()).hasSize(r.epochsRun());
    assertThat(seen).hasSize(r.epochsRun());
    double bestSeen = seen.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertThat(r.bestValidationLoss())
        .isEqualTo(r.history().get(r.bestEpoch() - 1).validationLoss());
    assertThat(r.bestValidationLoss()).isCloseTo(bestSeen, within(1e-3 * bestSeen));
    assertThat(validationLoss(r.weights(), rows, cfg))
        .isCloseTo(r.bestValidationLoss(), within(1e-4));
  }

  @Test
  void withoutValidationKeepsTheLastEpoch() {
    float[][] rows = new Synthetic(4).normal(100);
    TrainResult r = VaeTrainer.train(rows, SMALL.toBuilder().validationFraction(0).build());

    assertThat(r.epochsRun()).isEqualTo(5);
    assertThat(r.bestEpoch()).isEqualTo(5);
    assertThat(r.validationRows()).isZero();
    assertThat(r.bestValidationLoss()).isNaN();
  }

  @Test
  void rejectsBadConfigAndRows() {
    assertThatThrownBy(() -> TrainConfig.builder().latent(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latent size must be at least 1, got 0");
    assertThatThrownBy(() -> TrainConfig.builder().learningRate(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("learning rate");
    assertThatThrownBy(() -> TrainConfig.builder().hidden(64, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hidden sizes must be positive");
    assertThatThrownBy(() -> TrainConfig.builder().validationFraction(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validation fraction");
    assertThatThrownBy(() -> TrainConfig.builder().beta(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beta");

    assertThatThrownBy(() -> VaeTrainer.train(new float[2][8], SMALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too few rows: 2 given");
    assertThatThrownBy(() -> VaeTrainer.train(new float[][] {{1, 2}, {1, 2}, {1}, {2, 2}}, SMALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 2 has 1 features but row 0 has 2");
    assertThatThrownBy(
            () -> VaeTrainer.train(new float[][] {{1, 2}, {1, Float.NaN}, {1, 1}, {2, 2}}, SMALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1, feature 1 is not finite");
  }

  /** Reconstruction MSE per row with z = mu, from the Java reference forward pass. */
  private static double[] errors(VaeWeights w, float[][] rows) {
    double[] e = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double[] x = new double[rows[i].length];
      for (int j = 0; j < x.length; j++) {
        x[j] = rows[i][j];
      }
      double[] recon = w.forward(x)[0];
      for (int j = 0; j < x.length; j++) {
        e[i] += (x[j] - recon[j]) * (x[j] - recon[j]) / x.length;
      }
    }
    return e;
  }

  /** The trainer's validation loss recomputed in Java on the held-out tail of {@code rows}. */
  private static double validationLoss(VaeWeights w, float[][] rows, TrainConfig cfg) {
    int val = (int) Math.round(rows.length * cfg.validationFraction());
    double sum = 0;
    for (int i = rows.length - val; i < rows.length; i++) {
      double[] x = new double[rows[i].length];
      for (int j = 0; j < x.length; j++) {
        x[j] = rows[i][j];
      }
      double[][] out = w.forward(x);
      double mse = 0;
      for (int j = 0; j < x.length; j++) {
        mse += (x[j] - out[0][j]) * (x[j] - out[0][j]) / x.length;
      }
      double kl = 0;
      for (int k = 0; k < out[1].length; k++) {
        kl += -0.5 * (1 + out[2][k] - out[1][k] * out[1][k] - Math.exp(out[2][k]));
      }
      sum += mse + cfg.beta() * kl / x.length;
    }
    return sum / val;
  }

  /** Probability that a random anomalous score exceeds a random normal one (ties count half). */
  private static double auc(double[] normal, double[] anomalous) {
    double wins = 0;
    for (double a : anomalous) {
      for (double n : normal) {
        wins += a > n ? 1 : a == n ? 0.5 : 0;
      }
    }
    return wins / ((double) normal.length * anomalous.length);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static void assertClose(float[] actual, double[] expected) {
    assertThat(actual).hasSize(expected.length);
    for (int j = 0; j < expected.length; j++) {
      assertThat((double) actual[j]).isCloseTo(expected[j], within(1e-4));
    }
  }
}
