package io.vaeguard.pipeline.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatePacerTest {

  /** Time that moves only when the pacer sleeps or the test says so. */
  static final class FakeClock implements RatePacer.Clock {
    long now = 1_000_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepNanos(long nanos) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  @Test
  void spacesAcquiresEvenly() throws InterruptedException {
    FakeClock clock = new FakeClock();
    RatePacer pacer = new RatePacer(10, clock);
    for (int i = 0; i < 5; i++) {
      pacer.acquire();
    }
    assertThat(clock.sleeps)
        .containsExactly(100_000_000L, 100_000_000L, 100_000_000L, 100_000_000L);
  }

  @Test
  void workBetweenAcquiresCountsTowardsTheInterval() throws InterruptedException {
    FakeClock clock = new FakeClock();
    RatePacer pacer = new RatePacer(10, clock);
    pacer.acquire();
    clock.now += 30_000_000L; // sending took 30 ms
    pacer.acquire();
    assertThat(clock.sleeps).containsExactly(70_000_000L);
  }

  @Test
  void afterAStallItCatchesUpOneSecondAtMost() throws InterruptedException {
    FakeClock clock = new FakeClock();
    RatePacer pacer = new RatePacer(10, clock);
    pacer.acquire();
    clock.now += 5_000_000_000L; // a 5 s stall
    for (int i = 0; i < 11; i++) {
      pacer.acquire(); // the slot that is due, and one second's worth of missed ones
    }
    assertThat(clock.sleeps).isEmpty();
    pacer.acquire();
    assertThat(clock.sleeps).hasSize(1);
  }

  @Test
  void zeroMeansUnpaced() throws InterruptedException {
    FakeClock clock = new FakeClock();
    RatePacer pacer = new RatePacer(0, clock);
    for (int i = 0; i < 1000; i++) {
      pacer.acquire();
    }
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void negativeOrNanRatesAreRefused() {
    assertThatThrownBy(() -> new RatePacer(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0: as fast as possible");
    assertThatThrownBy(() -> new RatePacer(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

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
  void zeroIsUnpacedInTheArithmeticToo() {
    RatePacer p = new RatePacer(0);
    assertThat(p.dueAfter(0)).isEqualTo(Long.MAX_VALUE);
    assertThat(p.dueAt(1_000_000)).isZero();
  }
}
