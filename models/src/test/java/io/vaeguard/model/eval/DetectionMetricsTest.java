package io.vaeguard.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DetectionMetricsTest {

  @Test
  void countsAndRatesByHand() {
    int[] labels = {1, 1, 1, 0, 0, 0, 0, 0, 1, 0};
    boolean[] alerts = {true, false, true, true, false, false, false, false, false, false};
    DetectionMetrics m = DetectionMetrics.of(labels, alerts);
    assertThat(m).isEqualTo(new DetectionMetrics(2, 1, 5, 2));
    assertThat(m.precision()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.recall()).isCloseTo(0.5, within(1e-12));
    assertThat(m.f1()).isCloseTo(4.0 / 7, within(1e-12));
    assertThat(m.farPercent()).isCloseTo(100.0 / 6, within(1e-12));
    assertThat(m.marPercent()).isCloseTo(50.0, within(1e-12));
    assertThat(DetectionMetrics.of(labels, new int[] {1, 0, 1, 1, 0, 0, 0, 0, 0, 0})).isEqualTo(m);
  }

  @Test
  void flaggingEveryPointGivesFar100AndF1OfTwoPOverOnePlusP() {
    int[] labels = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    boolean[] all = new boolean[labels.length];
    java.util.Arrays.fill(all, true);
    DetectionMetrics m = DetectionMetrics.of(labels, all);
    double p = 0.7;
    assertThat(m.farPercent()).isEqualTo(100.0);
    assertThat(m.marPercent()).isZero();
    assertThat(m.recall()).isEqualTo(1.0);
    assertThat(m.precision()).isCloseTo(p, within(1e-12));
    assertThat(m.f1()).isCloseTo(2 * p / (1 + p), within(1e-12));
  }

  @Test
  void poolingAddsCountsSoF1IsOverAllPointsNotTheMeanOfFiles() {
    DetectionMetrics a =
        DetectionMetrics.of(new int[] {1, 1, 0, 0}, new boolean[] {true, true, false, false});
    DetectionMetrics b =
        DetectionMetrics.of(
            new int[] {1, 0, 0, 0, 0, 0}, new boolean[] {false, true, true, false, false, false});
    DetectionMetrics pooled = a.plus(b);
    DetectionMetrics concatenated =
        DetectionMetrics.of(
            new int[] {1, 1, 0, 0, 1, 0, 0, 0, 0, 0},
            new boolean[] {true, true, false, false, false, true, true, false, false, false});
    assertThat(pooled).isEqualTo(concatenated).isEqualTo(new DetectionMetrics(2, 2, 5, 1));
    assertThat(pooled.f1()).isCloseTo(4.0 / 7, within(1e-12));
    assertThat((a.f1() + b.f1()) / 2).isCloseTo(0.5, within(1e-12));
    assertThat(DetectionMetrics.EMPTY.plus(a)).isEqualTo(a);
    assertThat(pooled.total()).isEqualTo(10);
  }

  @Test
  void emptyDenominatorsGiveZero() {
    DetectionMetrics quietNormalFile =
        DetectionMetrics.of(new int[] {0, 0, 0}, new boolean[] {false, false, false});
    assertThat(quietNormalFile.precision()).isZero();
    assertThat(quietNormalFile.recall()).isZero();
    assertThat(quietNormalFile.f1()).isZero();
    assertThat(quietNormalFile.farPercent()).isZero();
    assertThat(quietNormalFile.marPercent()).isZero();
  }

  @Test
  void rejectsBadInputNamingWhere() {
    assertThatThrownBy(() -> DetectionMetrics.of(new int[] {0, 2}, new boolean[] {false, false}))
        .hasMessageContaining("index 1")
        .hasMessageContaining("0 or 1");
    assertThatThrownBy(() -> DetectionMetrics.of(new int[] {0, 1}, new boolean[] {false}))
        .hasMessageContaining("2 labels but 1 predictions");
    assertThatThrownBy(() -> DetectionMetrics.of(new int[] {0, 1}, new int[] {0, -1}))
        .hasMessageContaining("prediction at index 1");
  }
}
