package io.vaeguard.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RatePacerTest {

  @Test
  void recordsDueGrowWithElapsedTimeAtTheRate() {
    RatePacer p = new RatePacer(1000);
    assertThat(p.dueAfter(0)).isZero();
    assertThat(p.dueAfter(-5)).isZero();
    assertThat(p.dueAfter(999_999)).isZero();
    assertThat(p.dueAfter(1_000_000)).isEqualTo(1);
    assertThat(p.dueAfter(1_000_000_000L)).isEqualTo(1000);
    assertThat(p.dueAfter(2_500_000_000L)).isEqualTo(2500);
  }

  @Test
  void aLateWakeUpOwesTheBacklogSoTheLongRunRateIsExact() {
    RatePacer p = new RatePacer(150_000);
    long sent = 0;
    // wake-ups every 3.7 ms: the total after 10 s is the rate times 10 s, whatever the jitter
    for (long t = 0; t <= 10_000_000_000L; t += 3_700_000) {
      sent = Math.max(sent, p.dueAfter(t));
    }
    assertThat(p.dueAfter(10_000_000_000L)).isEqualTo(1_500_000);
    assertThat(sent).isBetween(1_500_000L - 600, 1_500_000L);
  }

  @Test
  void dueAtIsTheInverseOfDueAfter() {
    RatePacer p = new RatePacer(333);
    for (long i = 0; i < 1000; i++) {
      long at = p.dueAt(i);
      assertThat(p.dueAfter(at)).as("record %d", i).isGreaterThanOrEqualTo(i);
      assertThat(p.dueAfter(at - 1)).as("record %d", i).isLessThanOrEqualTo(i);
    }
  }

  @Test
  void refusesANonPositiveRate() {
    assertThatThrownBy(() -> new RatePacer(0)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new RatePacer(Double.NaN)).hasMessageContaining("positive");
  }
}
