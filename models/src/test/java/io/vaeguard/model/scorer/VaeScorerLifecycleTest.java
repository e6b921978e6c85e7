package io.vaeguard.model.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.card.ModelCard;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class VaeScorerLifecycleTest {

  @TempDir Path tmp;

  private Path model() {
    ModelCard card =
        TestModels.card(
            Precision.FP32, TestModels.features(2), 2, 2, TestModels.identityScaler(2), 1);
    return TestModels.writeModel(
        tmp.resolve("m"), TestModels.randomWeights(3, 4, 2, 4), Precision.FP32, card);
  }

  @Test
  void nonFiniteInputIsRefusedNamingRowAndColumn() {
    try (VaeScorer s = VaeScorer.open(model(), Precision.FP32, ScorerOptions.defaults())) {
      float[] rows = new float[8];
      rows[4 + 3] = Float.NaN; // row 1, column 3 = feature f1 at window position 1
      assertThatThrownBy(() -> s.score(rows, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("row 1 column 3 (feature f1, window position 1) is NaN");
      rows[7] = Float.NEGATIVE_INFINITY;
      assertThatThrownBy(() -> s.forwardNormalised(rows, 2)).hasMessageContaining("row 1 column 3");
      assertThatThrownBy(() -> s.score(rows, 3)).hasMessageContaining("need 12 floats, got 8");
    }
  }

  @Test
  void everyMethodRefusesAfterClose() {
    VaeScorer s = VaeScorer.open(model(), Precision.FP32, ScorerOptions.defaults());
    s.close();
    s.close(); // idempotent
    assertThatThrownBy(() -> s.score(new float[4], 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.forwardNormalised(new float[4], 1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(s::card).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(s::provider).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void cudaFallsBackToCpuWhereThereIsNone() {
    // The test classpath has the CPU build of ONNX Runtime: asking for CUDA must not fail.
    ScorerOptions opts = ScorerOptions.builder().device("cuda:0").intraOpThreads(2).build();
    try (VaeScorer s = VaeScorer.open(model(), Precision.FP32, opts)) {
      assertThat(s.provider()).isEqualTo("CPUExecutionProvider");
      assertThat(s.score(new float[4], 1).size()).isEqualTo(1);
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "USE_CUDA", matches = "1")
  void runsOnCudaWhenAvailable() {
    ScorerOptions opts = ScorerOptions.builder().device("cuda").build();
    try (VaeScorer s = VaeScorer.open(model(), Precision.FP32, opts)) {
      assertThat(s.provider()).isEqualTo("CUDAExecutionProvider");
    }
  }

  @Test
  void optionsRefuseUnknownDevicesListingTheValidOnes() {
    assertThatThrownBy(() -> ScorerOptions.builder().device("gpu"))
        .hasMessageContaining("unknown device 'gpu'")
        .hasMessageContaining("cpu, cuda, cuda:N");
    assertThatThrownBy(() -> ScorerOptions.builder().device("cuda:-1"))
        .hasMessageContaining("cuda:N");
    assertThatThrownBy(() -> ScorerOptions.builder().intraOpThreads(0))
        .hasMessageContaining("at least 1");
    ScorerOptions o = ScorerOptions.builder().device("CUDA:3").build();
    assertThat(o.cudaDevice()).isEqualTo(3);
    assertThat(ScorerOptions.defaults().wantsCuda()).isFalse();
    assertThat(ScorerOptions.defaults().intraOpThreads()).isEqualTo(1);
  }

  @Test
  void callsOfTheSameSizeReuseTensorHandlesButReadTheirOwnRows() {
    // the scorer keeps its tensor handles while the batch size stays: each call must still see its
    // rows
    float[] a = TestModels.gaussianRows(1, 3, 4);
    float[] b = TestModels.gaussianRows(2, 3, 4);
    float[] big = TestModels.gaussianRows(3, 300, 4); // grows the buffers: new handles
    double[] expected = new double[3];
    try (VaeScorer fresh = VaeScorer.open(model(), Precision.FP32, ScorerOptions.defaults())) {
      ScoreBatch sb = fresh.score(b, 3);
      for (int r = 0; r < 3; r++) {
        expected[r] = sb.rawScore(r);
      }
    }
    try (VaeScorer s = VaeScorer.open(model(), Precision.FP32, ScorerOptions.defaults())) {
      for (float[] first : new float[][] {a, big}) {
        s.score(first, first == a ? 3 : 300);
        ScoreBatch sb = s.score(b, 3);
        for (int r = 0; r < 3; r++) {
          assertThat(sb.rawScore(r)).isEqualTo(expected[r]);
        }
        assertThat(s.forwardNormalised(a, 3).recon())
            .isNotEqualTo(s.forwardNormalised(b, 3).recon());
      }
    }
  }
}
