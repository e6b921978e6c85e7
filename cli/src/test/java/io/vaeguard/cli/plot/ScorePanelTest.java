package io.vaeguard.cli.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScorePanelTest {

  @Test
  void rangeCoversAllScoresWhenNoneIsExtreme() {
    double[] range = ScorePanel.yRange(new double[] {0.1, 0.5, 1.0}, 0.8);
    assertThat(range[0]).isZero();
    assertThat(range[1]).isCloseTo(1.05, within(1e-12));
  }

  @Test
  void oneHugeScoreIsClippedSoTheThresholdStaysVisible() {
    double[] score = new double[1000];
    for (int i = 0; i < score.length; i++) {
      score[i] = i % 10 / 10.0; // bulk in [0, 0.9]
    }
    score[500] = 1000;
    double[] range = ScorePanel.yRange(score, 1.0);
    assertThat(range[1]).isCloseTo(1.5 * 1.0 * 1.05, within(1e-12)).isLessThan(1000);
  }

  @Test
  void thresholdAboveEveryScoreIsStillInView() {
    assertThat(ScorePanel.yRange(new double[] {0.1, 0.2}, 5.0)[1]).isGreaterThan(5.0);
    assertThat(ScorePanel.yRange(new double[] {-2, -1}, Double.NaN)).containsExactly(-2, -0.95);
  }
}
