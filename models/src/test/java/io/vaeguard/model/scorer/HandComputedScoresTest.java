package io.vaeguard.model.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vaeguard.model.Dense;
import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A VAE small enough to score by hand (D = 2, one hidden layer of 2, latent 1), exported to fp32
 * and scored by ONNX Runtime. Every expected number below is worked out in the comments.
 *
 * <p>Both ways of working out E and KL are checked: in the extended ONNX graph (float32) and in
 * Java (doubles). The model's outputs and every E below are exact in float; KL involves exp(),
 * which doubles get right to 1e-16 but float32 only to about 6e-8 of exp(logvar), so KL (and raw
 * and score, which include it) are held to {@link #EPS} in Java and to {@link #FLOAT_REL} relative
 * in the graph.
 */
class HandComputedScoresTest {

  private static final double KL_WEIGHT = 0.5;
  private static final double EPS = 1e-9; // all intermediates are exact in float except exp()
  private static final double FLOAT_REL = 1e-6; // a few float32 roundings of values up to ~12

  @TempDir Path tmp;

  /**
   * Encoder h = relu(x W1 + b1), W1 = [[1, -1], [0.5, 2]], b1 = [0, -1] h0 = relu(x0 + 0.5 x1), h1
   * = relu(-x0 + 2 x1 - 1) Heads mu = 0.5 h0 + h1; logvar = 0.5 h1 - 1 Decoder g = relu(mu [2, -1]
   * + [0, 1]) = (relu(2 mu), relu(1 - mu)) recon = g [[0.5, 0], [0, 1]] + [0, -1] = (0.5 g0, g1 -
   * 1)
   */
  private static VaeWeights handModel() {
    Dense enc = new Dense(2, 2, new float[] {1, -1, 0.5f, 2}, new float[] {0, -1});
    Dense mu = new Dense(2, 1, new float[] {0.5f, 1}, new float[] {0});
    Dense logvar = new Dense(2, 1, new float[] {0, 0.5f}, new float[] {-1});
    Dense dec0 = new Dense(1, 2, new float[] {2, -1}, new float[] {0, 1});
    Dense dec1 = new Dense(2, 2, new float[] {0.5f, 0, 0, 1}, new float[] {0, -1});
    return new VaeWeights(List.of(enc), mu, logvar, List.of(dec0, dec1));
  }

  private VaeScorer open(Scaler scaler, boolean inGraph) {
    ModelCard card =
        TestModels.card(Precision.FP32, List.of("temp", "pressure"), 1, 1, scaler, KL_WEIGHT);
    VaeScorer s =
        VaeScorer.open(
            TestModels.writeModel(tmp.resolve("m"), handModel(), Precision.FP32, card),
            Precision.FP32,
            ScorerOptions.defaults(),
            inGraph);
    assertThat(s.reductionsInGraph()).isEqualTo(inGraph);
    return s;
  }

  @ParameterizedTest(name = "E and KL in graph: {0}")
  @ValueSource(booleans = {true, false})
  void identityScaler(boolean inGraph) {
    try (VaeScorer s = open(TestModels.identityScaler(2), inGraph)) {
      assertHandScores(s, s.score(new float[] {1, 1, 2, 3, 0, 0}, 3), inGraph);
    }
  }

  @ParameterizedTest(name = "E and KL in graph: {0}")
  @ValueSource(booleans = {true, false})
  void standardisesRawValuesWithTheCardsScaler(boolean inGraph) {
    // mean (10, -2), std (2, 4): raw = mean + std * xnorm gives the same normalised rows as above.
    Scaler scaler = new Scaler(new double[] {10, -2}, new double[] {2, 4});
    try (VaeScorer s = open(scaler, inGraph)) {
      assertHandScores(s, s.score(new float[] {12, 2, 14, 10, 10, -2}, 3), inGraph);
    }
  }

  private static void assertHandScores(VaeScorer s, ScoreBatch b, boolean inGraph) {
    assertThat(b.size()).isEqualTo(3);
    // EPS where the value involves exp() only in Java; float32 precision where the graph's exp is
    // in it
    java.util.function.DoubleFunction<org.assertj.core.data.Offset<Double>> viaExp =
        expected -> within(inGraph ? FLOAT_REL * Math.max(1, Math.abs(expected)) : EPS);

    // Row 0, x = (1, 1):
    //   h = (relu(1 + 0.5), relu(-1 + 2 - 1)) = (1.5, 0); mu = 0.75; logvar = -1
    //   g = (relu(1.5), relu(0.25)) = (1.5, 0.25); recon = (0.75, -0.75)
    //   e = ((1 - 0.75)^2, (1 + 0.75)^2) = (0.0625, 3.0625); E = 3.125 / 2 = 1.5625
    //   KL = -0.5 (1 - 1 - 0.5625 - e^-1) = 0.5 (0.5625 + e^-1)
    //   shares = 0.0625 / 3.125 = 0.02 and 3.0625 / 3.125 = 0.98
    double kl0 = 0.5 * (0.5625 + Math.exp(-1));
    assertThat(b.reconstructionError(0)).isCloseTo(1.5625, within(EPS));
    assertThat(b.kl(0)).isCloseTo(kl0, viaExp.apply(kl0));
    assertThat(b.rawScore(0))
        .isCloseTo(1.5625 + KL_WEIGHT * kl0, viaExp.apply(1.5625 + KL_WEIGHT * kl0));
    assertThat(b.share(0, 0)).isCloseTo(0.02, within(EPS));
    assertThat(b.share(0, "pressure")).isCloseTo(0.98, within(EPS));
    assertThat(b.topFeatures(0, 1))
        .containsExactly(new FeatureContribution("pressure", b.share(0, 1)));

    // Row 1, x = (2, 3):
    //   h = (relu(2 + 1.5), relu(-2 + 6 - 1)) = (3.5, 3); mu = 1.75 + 3 = 4.75; logvar = 1.5 - 1 =
    // 0.5
    //   g = (9.5, relu(1 - 4.75)) = (9.5, 0); recon = (4.75, -1)
    //   e = ((2 - 4.75)^2, (3 + 1)^2) = (7.5625, 16); E = 23.5625 / 2 = 11.78125
    //   KL = -0.5 (1 + 0.5 - 4.75^2 - e^0.5) = -0.5 (1.5 - 22.5625 - e^0.5) = 0.5 (21.0625 + e^0.5)
    //   shares = 7.5625 / 23.5625 and 16 / 23.5625
    double kl1 = 0.5 * (21.0625 + Math.exp(0.5));
    assertThat(b.reconstructionError(1)).isCloseTo(11.78125, within(EPS));
    assertThat(b.kl(1)).isCloseTo(kl1, viaExp.apply(kl1));
    assertThat(b.rawScore(1))
        .isCloseTo(11.78125 + KL_WEIGHT * kl1, viaExp.apply(11.78125 + KL_WEIGHT * kl1));
    assertThat(b.share(1, 0)).isCloseTo(7.5625 / 23.5625, within(EPS));
    assertThat(b.share(1, 1)).isCloseTo(16 / 23.5625, within(EPS));
    assertThat(b.featureError(1, 1)).isCloseTo(8.0, within(EPS)); // 16 / D

    // Row 2, x = (0, 0):
    //   h = (0, relu(-1)) = (0, 0); mu = 0; logvar = -1
    //   g = (0, 1); recon = (0, 0): a perfect reconstruction, E = 0
    //   KL = -0.5 (1 - 1 - 0 - e^-1) = 0.5 e^-1; raw = 0.25 e^-1 ~ 0.092
    //   shares: no error to share, so 1/F = 0.5 each
    double kl2 = 0.5 * Math.exp(-1);
    assertThat(b.reconstructionError(2)).isEqualTo(0.0);
    assertThat(b.kl(2)).isCloseTo(kl2, viaExp.apply(kl2));
    assertThat(b.rawScore(2)).isCloseTo(KL_WEIGHT * kl2, viaExp.apply(kl2));
    assertThat(b.share(2, 0)).isEqualTo(0.5);
    assertThat(b.share(2, 1)).isEqualTo(0.5);

    // Calibration: the test card's map is the identity on [0, 0.95) (validation scores 0..1 evenly)
    // with an exponential tail above, and the threshold is 0.9.
    assertThat(b.score(2)).isCloseTo(KL_WEIGHT * kl2, inGraph ? viaExp.apply(kl2) : within(1e-12));
    assertThat(b.severity(2)).isEqualTo(9); // round(100 * 0.092)
    assertThat(b.alert(2)).isFalse();
    for (int r = 0; r < 2; r++) {
      assertThat(b.score(r)).isEqualTo(s.card().calibration().calibrate(b.rawScore(r)));
      assertThat(b.severity(r)).isEqualTo(100); // raw far into the tail
      assertThat(b.alert(r)).isTrue();
    }
  }
}
