package io.vaeguard.model.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vaeguard.model.Dense;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.VaeWeights;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PruningTest {

  @Test
  void keepsTheRoundedShareOfEveryHiddenLayer() {
    VaeWeights w = TestModels.randomWeights(1, 8, 4, 64, 32);
    for (double f : new double[] {0.25, 0.5, 0.75}) {
      VaeWeights p = Pruning.prune(w, f);
      int h1 = (int) Math.round(64 * (1 - f));
      int h2 = (int) Math.round(32 * (1 - f));
      assertThat(p.hidden()).containsExactly(h1, h2);
      assertThat(p.inputDim()).isEqualTo(8);
      assertThat(p.latentDim()).isEqualTo(4);
      // The decoder mirrors the encoder: latent -> h2 -> h1 -> input.
      assertThat(p.decoder()).extracting(Dense::out).containsExactly(h2, h1, 8);
    }
    assertThat(Pruning.kept(3, 0.75)).isEqualTo(1);
    assertThatThrownBy(() -> Pruning.prune(w, 1.0)).hasMessageContaining("[0, 1)");
  }

  /**
   * Units with zero weights in and out contribute nothing; they must be the ones removed, and the
   * pruned network must compute exactly what the full one does.
   */
  @Test
  void removesDeadUnitsFirstAndKeepsTheFunction() {
    VaeWeights w = TestModels.randomWeights(2, 6, 3, 8);
    Random rnd = new Random(3);
    int[] dead = {1, 4, 6, 7};
    Dense enc = zeroColumns(w.encoder().get(0), dead);
    Dense mu = zeroRows(w.mu(), dead);
    Dense logvar = zeroRows(w.logvar(), dead);
    Dense dec0 = zeroColumns(w.decoder().get(0), dead);
    Dense dec1 = zeroRows(w.decoder().get(1), dead);
    VaeWeights withDead = new VaeWeights(List.of(enc), mu, logvar, List.of(dec0, dec1));

    VaeWeights p = Pruning.prune(withDead, 0.5);

    assertThat(p.hidden()).containsExactly(4);
    for (int r = 0; r < 20; r++) {
      double[] x = rnd.doubles(6).map(v -> 4 * v - 2).toArray();
      double[][] full = withDead.forward(x);
      double[][] small = p.forward(x);
      for (int k = 0; k < 3; k++) {
        for (int j = 0; j < full[k].length; j++) {
          assertThat(small[k][j]).isCloseTo(full[k][j], within(1e-5));
        }
      }
    }
  }

  @Test
  void unitNormsCountIncomingBiasAndOutgoingWeights() {
    Dense layer = new Dense(2, 2, new float[] {3, 0, 0, 1}, new float[] {0, 2});
    Dense reader = new Dense(2, 1, new float[] {4, 2}, new float[] {9});
    double[] n = Pruning.unitNorms(layer, List.of(reader));
    assertThat(n[0]).isCloseTo(5.0, within(1e-12)); // sqrt(3^2 + 4^2)
    assertThat(n[1]).isCloseTo(3.0, within(1e-12)); // sqrt(1^2 + 2^2 + 2^2)
  }

  private static Dense zeroColumns(Dense d, int[] cols) {
    float[] w = d.weights().clone();
    float[] b = d.bias().clone();
    for (int c : cols) {
      b[c] = 0;
      for (int i = 0; i < d.in(); i++) {
        w[i * d.out() + c] = 0;
      }
    }
    return new Dense(d.in(), d.out(), w, b);
  }

  private static Dense zeroRows(Dense d, int[] rows) {
    float[] w = d.weights().clone();
    for (int r : rows) {
      for (int j = 0; j < d.out(); j++) {
        w[r * d.out() + j] = 0;
      }
    }
    return new Dense(d.in(), d.out(), w, d.bias());
  }
}
