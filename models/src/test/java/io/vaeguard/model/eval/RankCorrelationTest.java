package io.vaeguard.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  @Test
  void tiesGetTheirAverageRank() {
    assertThat(RankCorrelation.ranks(new double[] {10, 20, 20, 30}))
        .containsExactly(1, 2.5, 2.5, 4);
    assertThat(RankCorrelation.ranks(new double[] {5, 1, 5, 5, -0.0, 0.0}))
        .containsExactly(5, 3, 5, 5, 1.5, 1.5);
  }

  @Test
  void matchesHandComputedValues() {
    // No ties: rho = 1 - 6 sum d^2 / (n (n^2 - 1)); ranks a = 1..5, b = 2,1,4,3,5: sum d^2 = 4, rho
    // = 1 - 24/120 = 0.8.
    assertThat(
            RankCorrelation.spearman(
                new double[] {1, 2, 3, 4, 5}, new double[] {20, 10, 40, 30, 50}))
        .isCloseTo(0.8, within(1e-12));
    // Ties: a = {1, 2, 2, 3} ranks {1, 2.5, 2.5, 4}; b = {1, 3, 2, 4} ranks {1, 3, 2, 4}.
    // Centred: a {-1.5, 0, 0, 1.5}, b {-1.5, 0.5, -0.5, 1.5}; sxy = 4.5, sxx = 4.5, syy = 5;
    // rho = 4.5 / sqrt(4.5 * 5) = 0.948683...
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4}))
        .isCloseTo(4.5 / Math.sqrt(22.5), within(1e-12));
    // Monotone but not linear: still 1; reversed: -1.
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 8, 27, 1000}))
        .isEqualTo(1.0);
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}))
        .isEqualTo(-1.0);
  }

  @Test
  void constantSamplesHaveNoCorrelation() {
    assertThat(RankCorrelation.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    assertThat(RankCorrelation.spearman(new double[] {1}, new double[] {1})).isNaN();
  }

  @Test
  void refusesMismatchedOrNaN() {
    assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("differ in size");
    assertThatThrownBy(
            () -> RankCorrelation.spearman(new double[] {1, Double.NaN}, new double[] {1, 2}))
        .hasMessageContaining("NaN");
  }
}
