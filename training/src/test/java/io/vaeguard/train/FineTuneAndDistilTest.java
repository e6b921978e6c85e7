package io.vaeguard.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.compress.Pruning;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training from given weights and towards given targets: what pruning and distillation rely on. */
class FineTuneAndDistilTest {

  private static float[][] rows;
  private static float[][] heldOut;
  private static VaeWeights teacher;

  @BeforeAll
  static void trainTeacher() {
    Synthetic gen = new Synthetic(21);
    rows = gen.normal(1500);
    heldOut = gen.normal(400);
    teacher =
        VaeTrainer.train(
                rows,
                TrainConfig.builder().hidden(32, 16).latent(2).epochs(40).patience(8).build(),
                TrainListener.NONE)
            .weights();
  }

  @Test
  void oneEpochFromTrainedWeightsKeepsTheirQualityWhereARandomStartHasNone() {
    double teacherMse = mse(teacher, heldOut);
    TrainConfig oneEpoch = TrainConfig.builder().epochs(1).learningRate(1e-4).build();

    VaeWeights tuned =
        VaeTrainer.train(
                rows, oneEpoch.toBuilder().initialWeights(teacher).build(), TrainListener.NONE)
            .weights();
    VaeWeights fresh =
        VaeTrainer.train(
                rows, oneEpoch.toBuilder().hidden(32, 16).latent(2).build(), TrainListener.NONE)
            .weights();

    assertThat(tuned.hidden()).containsExactly(32, 16);
    assertThat(mse(tuned, heldOut)).isLessThan(1.2 * teacherMse);
    assertThat(mse(fresh, heldOut)).isGreaterThan(3 * teacherMse);
  }

  @Test
  void fineTuningAPrunedModelRecoversMostOfItsLoss() {
    VaeWeights pruned = Pruning.prune(teacher, 0.5);
    TrainConfig cfg = TrainConfig.builder().initialWeights(pruned).epochs(15).patience(5).build();

    VaeWeights tuned = VaeTrainer.train(rows, cfg, TrainListener.NONE).weights();

    assertThat(tuned.hidden()).containsExactly(16, 8);
    assertThat(mse(tuned, heldOut)).isLessThan(mse(pruned, heldOut));
    assertThat(mse(tuned, heldOut)).isLessThan(2 * mse(teacher, heldOut));
  }

  @Test
  void initialWeightsFixTheShape() {
    assertThatThrownBy(() -> TrainConfig.builder().initialWeights(teacher).hidden(8).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial weights have hidden [32, 16]");
    float[][] wide = new float[50][9];
    assertThatThrownBy(
            () ->
                VaeTrainer.train(
                    wide,
                    TrainConfig.builder().initialWeights(teacher).epochs(1).build(),
                    TrainListener.NONE))
        .hasMessageContaining("initial weights take 8 inputs");
  }

  /** Targets that differ from the input show the loss really follows them. */
  @Test
  void learnsTheGivenReconstructionAndMuTargets() {
    float[][] zeros = new float[rows.length][Synthetic.FEATURES];
    float[][] ones = new float[rows.length][2];
    for (float[] m : ones) {
      java.util.Arrays.fill(m, 1f);
    }
    TrainConfig cfg = TrainConfig.builder().hidden(16).latent(2).epochs(30).beta(0).build();

    VaeWeights w =
        VaeTrainer.train(rows, new TrainTargets(zeros, ones, 1.0), cfg, TrainListener.NONE)
            .weights();

    VaeOutputs out = VaeTrainer.forward(w, heldOut);
    assertThat(meanAbs(out.recon()))
        .isLessThan(0.15); // the rows themselves have mean |x| about 0.8
    assertThat(mean(out.mu())).isBetween(0.9, 1.1);
    assertThat(meanAbs(heldOut)).isGreaterThan(0.5);
  }

  @Test
  void aStudentMatchesItsTeacherCloserThanTheTeacherMatchesTheData() {
    VaeOutputs targets = VaeTrainer.forward(teacher, rows);
    TrainConfig cfg = TrainConfig.builder().hidden(16, 8).latent(2).epochs(40).patience(8).build();

    VaeWeights student =
        VaeTrainer.train(rows, TrainTargets.of(targets, 0.5), cfg, TrainListener.NONE).weights();

    VaeOutputs s = VaeTrainer.forward(student, heldOut);
    VaeOutputs t = VaeTrainer.forward(teacher, heldOut);
    double studentVsTeacher = meanSquaredDiff(s.recon(), t.recon());
    assertThat(studentVsTeacher).isLessThan(0.5 * mse(teacher, heldOut));
    assertThat(mse(student, heldOut)).isLessThan(1.5 * mse(teacher, heldOut));
    assertThatThrownBy(
            () ->
                VaeTrainer.train(
                    rows,
                    TrainTargets.of(targets, 0.5),
                    cfg.toBuilder().latent(3).build(),
                    TrainListener.NONE))
        .hasMessageContaining("mu targets are 2 wide");
  }

  private static double mse(VaeWeights w, float[][] x) {
    return meanSquaredDiff(VaeTrainer.forward(w, x).recon(), x);
  }

  private static double meanSquaredDiff(float[][] a, float[][] b) {
    double s = 0;
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        double d = a[i][j] - b[i][j];
        s += d * d;
        n++;
      }
    }
    return s / n;
  }

  private static double meanAbs(float[][] a) {
    double s = 0;
    long n = 0;
    for (float[] r : a) {
      for (float v : r) {
        s += Math.abs(v);
        n++;
      }
    }
    return s / n;
  }

  private static double mean(float[][] a) {
    double s = 0;
    long n = 0;
    for (float[] r : a) {
      for (float v : r) {
        s += v;
        n++;
      }
    }
    return s / n;
  }
}
