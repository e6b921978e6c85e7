package io.vaeguard.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RocAucTest {

  @Test
  void handComputedWithoutTies() {
    // positives 0.35, 0.8 against negatives 0.1, 0.4: 0.35 beats one of two, 0.8 beats both -> 3/4
    assertThat(RocAuc.compute(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}))
        .isEqualTo(0.75);
  }

  @Test
  void tiesCountOneHalf() {
    // average ranks 1, 2.5, 2.5, 4; positives hold 2.5 + 4 = 6.5; U = 6.5 - 2*3/2 = 3.5; AUC =
    // 3.5/4
    assertThat(RocAuc.compute(new double[] {1, 2, 2, 3}, new int[] {0, 1, 0, 1})).isEqualTo(0.875);
    assertThat(RocAuc.compute(new double[] {5, 5, 5, 5, 5}, new int[] {0, 1, 0, 1, 1}))
        .isEqualTo(0.5);
    assertThat(RocAuc.compute(new double[] {0.0, -0.0}, new int[] {0, 1})).isEqualTo(0.5);
  }

  @Test
  void perfectInvertedAndInfiniteScores() {
    assertThat(RocAuc.compute(new double[] {1, 2, 3, 4}, new int[] {0, 0, 1, 1})).isEqualTo(1.0);
    assertThat(RocAuc.compute(new double[] {4, 3, 2, 1}, new int[] {0, 0, 1, 1})).isEqualTo(0.0);
    assertThat(
            RocAuc.compute(
                new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY},
                new int[] {0, 1}))
        .isEqualTo(1.0);
  }

  @Test
  void undefinedForOneClass() {
    assertThat(RocAuc.compute(new double[] {1, 2}, new int[] {0, 0})).isNaN();
    assertThat(RocAuc.compute(new double[] {1, 2}, new int[] {1, 1})).isNaN();
  }

  @Test
  void matchesPairCountingOnRandomTiedData() {
    Random rng = new Random(1);
    double[] scores = new double[500];
    int[] labels = new int[500];
    for (int i = 0; i < scores.length; i++) {
      labels[i] = rng.nextDouble() < 0.3 ? 1 : 0;
      scores[i] = Math.round(rng.nextGaussian() * 3 + labels[i] * 2) / 2.0; // coarse, so many ties
    }
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      for (int j = 0; j < scores.length; j++) {
        if (labels[i] == 1 && labels[j] == 0) {
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
          pairs++;
        }
      }
    }
    assertThat(RocAuc.compute(scores, labels)).isCloseTo(wins / pairs, within(1e-12));
  }

  @Test
  void pooledEqualsConcatenated() {
    double pooled =
        RocAuc.pooled(
            List.of(new double[] {0.1, 0.4}, new double[] {0.35, 0.8}),
            List.of(new int[] {0, 0}, new int[] {1, 1}));
    assertThat(pooled).isEqualTo(0.75);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> RocAuc.compute(new double[] {1, Double.NaN}, new int[] {0, 1}))
        .hasMessageContaining("index 1 is NaN");
    assertThatThrownBy(() -> RocAuc.compute(new double[] {1, 2}, new int[] {0, 3}))
        .hasMessageContaining("0 or 1");
    assertThatThrownBy(() -> RocAuc.compute(new double[] {1}, new int[] {0, 1}))
        .hasMessageContaining("1 scores but 2");
  }
}
