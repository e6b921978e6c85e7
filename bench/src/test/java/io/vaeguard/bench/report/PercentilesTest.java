package io.vaeguard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOnOneToHundred() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // unsorted on purpose
    }
    Percentiles p = new Percentiles(v, 100);
    assertThat(p.percentile(50)).isEqualTo(50);
    assertThat(p.percentile(95)).isEqualTo(95);
    assertThat(p.percentile(99)).isEqualTo(99);
    assertThat(p.percentile(100)).isEqualTo(100);
    assertThat(p.percentile(0.1)).isEqualTo(1);
  }

  @Test
  void smallSamplesRoundTheRankUp() {
    Percentiles p = new Percentiles(new long[] {7, 3, 5, 99, 1}, 4); // only 7, 3, 5, 99 count
    assertThat(p.count()).isEqualTo(4);
    assertThat(p.percentile(50)).isEqualTo(5); // rank ceil(2) = 2 -> 5
    assertThat(p.percentile(51)).isEqualTo(7); // rank ceil(2.04) = 3 -> 7
    assertThat(p.percentile(99)).isEqualTo(99);
    assertThat(p.sorted()).containsExactly(3, 5, 7, 99);
  }

  @Test
  void refusesEmptySamplesAndBadPercentiles() {
    assertThatThrownBy(() -> new Percentiles(new long[0], 0).percentile(50))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new Percentiles(new long[] {1}, 1).percentile(0))
        .hasMessageContaining("(0, 100]");
    assertThatThrownBy(() -> new Percentiles(new long[] {1}, 2)).hasMessageContaining("outside");
  }
}
