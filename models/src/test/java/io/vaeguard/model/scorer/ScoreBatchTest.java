package io.vaeguard.model.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.card.ModelCard;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The score arithmetic on hand-made model outputs, no ONNX Runtime involved. */
class ScoreBatchTest {

  /** Two features over a window of 2: input columns are (a@t-1, b@t-1, a@t, b@t). */
  private final ModelCard card =
      TestModels.card(Precision.FP32, List.of("a", "b"), 2, 1, TestModels.identityScaler(2), 0.0);

  @Test
  void sharesAddUpTheWindowPositionsOfEachFeature() {
    ScoreBatch b = new ScoreBatch(card);
    // e = (1, 4, 9, 16), sum 30, E = 7.5; a: 1 + 9 = 10 -> 1/3; b: 4 + 16 = 20 -> 2/3
    b.compute(1, new float[] {1, 2, 3, 4}, new float[4], new float[1], new float[1]);
    assertThat(b.reconstructionError(0)).isEqualTo(7.5);
    assertThat(b.share(0, "a")).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(b.share(0, "b")).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(b.featureError(0, 0) + b.featureError(0, 1)).isCloseTo(7.5, within(1e-12));
    assertThat(b.topFeatures(0, 5))
        .extracting(FeatureContribution::feature)
        .containsExactly("b", "a");
    // mu = 0, logvar = 0 is the prior itself: KL = -0.5 (1 + 0 - 0 - 1) = 0
    assertThat(b.kl(0)).isEqualTo(0.0);
    // klWeight 0: raw = E
    assertThat(b.rawScore(0)).isEqualTo(7.5);
  }

  @Test
  void rowsBeyondTheBatchAreRefused() {
    ScoreBatch b = new ScoreBatch(card);
    b.compute(2, new float[8], new float[8], new float[2], new float[2]);
    b.compute(1, new float[8], new float[8], new float[2], new float[2]);
    assertThat(b.size()).isEqualTo(1);
    assertThatThrownBy(() -> b.score(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> b.share(0, "c"))
        .hasMessageContaining("unknown feature 'c'")
        .hasMessageContaining("[a, b]");
  }

  @Test
  void topFeatureIndicesAreLargestFirstWithTiesInCardOrder() {
    ModelCard four =
        TestModels.card(
            Precision.FP32, List.of("a", "b", "c", "d"), 1, 1, TestModels.identityScaler(4), 0.0);
    ScoreBatch b = new ScoreBatch(four);
    // row 0: e = (1, 9, 1, 4): b, d, then a and c tie -> a; row 1: a perfect reconstruction, all
    // equal
    b.compute(2, new float[] {1, 3, 1, 2, 0, 0, 0, 0}, new float[8], new float[2], new float[2]);
    int[] top = new int[3];
    assertThat(b.topFeatureIndices(0, top)).isEqualTo(3);
    assertThat(top).containsExactly(1, 3, 0);
    assertThat(b.topFeatureIndices(1, top)).isEqualTo(3);
    assertThat(top).containsExactly(0, 1, 2);
    int[] more = new int[9];
    assertThat(b.topFeatureIndices(0, more))
        .as("never more than the model's features")
        .isEqualTo(4);
    assertThat(b.topFeatures(0, 4))
        .extracting(FeatureContribution::feature)
        .containsExactly("b", "d", "a", "c");
    assertThat(b.topFeatureIndices(0, new int[0])).isZero();
  }

  @Test
  void graphReductionsAreTakenAsTheyAreAndRedoneInDoublesWhereFloatOverflowed() {
    ModelCard weighted =
        TestModels.card(Precision.FP32, List.of("a", "b"), 1, 1, TestModels.identityScaler(2), 0.5);
    ScoreBatch b = new ScoreBatch(weighted);
    // row 0: the graph's sums as given (E = sqsum / D, KL = -0.5 (K + klsum)); row 1: logvar 100,
    // exp(100) = 2.7e43 overflows float32 (the graph's klsum is infinite) but not double; row 2: a
    // difference of 1e20 squares beyond float32 too
    float[] xnorm = {1, 2, 0, 0, 1e20f, 0};
    FloatBuffer recon = FloatBuffer.wrap(new float[] {0, 0, 0, 0, 0, 0});
    FloatBuffer mu = FloatBuffer.wrap(new float[] {0, 3, 1});
    FloatBuffer logvar = FloatBuffer.wrap(new float[] {0, 100, 0});
    FloatBuffer e = FloatBuffer.wrap(new float[] {0.5f, 0, Float.POSITIVE_INFINITY});
    FloatBuffer kl = FloatBuffer.wrap(new float[] {-2.5f, Float.NEGATIVE_INFINITY, -2f});
    b.computeFromGraph(3, xnorm, recon, mu, logvar, e, kl);
    assertThat(b.reconstructionError(0)).isEqualTo(0.25);
    assertThat(b.kl(0)).isEqualTo(0.75);
    assertThat(b.rawScore(0)).isEqualTo(0.25 + 0.5 * 0.75);
    assertThat(b.kl(1)).isEqualTo(-0.5 * (1 + 100 - 9 - Math.exp(100))).isFinite();
    assertThat(b.reconstructionError(2)).isEqualTo((double) 1e20f * 1e20f / 2).isFinite();
    assertThat(b.kl(2)).isEqualTo(0.5);
    // shares read recon from the buffer: row 0 has e = (1, 4)
    assertThat(b.share(0, "b")).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void klWeightZeroIsEAloneEvenWhereKlIsInfinite() {
    ScoreBatch b = new ScoreBatch(card); // klWeight 0
    // exp(1000) overflows doubles too: KL is infinite on both paths, and 0 * infinity would be NaN
    b.compute(1, new float[] {1, 2, 3, 4}, new float[4], new float[1], new float[] {1000});
    assertThat(b.kl(0)).isInfinite();
    assertThat(b.rawScore(0)).isEqualTo(7.5);
    assertThat(b.score(0)).isEqualTo(card.calibration().calibrate(7.5));
  }
}
