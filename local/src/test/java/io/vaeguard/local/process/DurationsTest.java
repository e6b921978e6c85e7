package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void aPositiveDurationPassesThrough() {
    Duration d = Duration.ofMillis(1);
    assertThat(Durations.requirePositive(d, "stopTimeout")).isSameAs(d);
  }

  @Test
  void zeroNegativeAndNullAreRefusedByName() {
    assertThatThrownBy(() -> Durations.requirePositive(Duration.ZERO, "startupTimeout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("startupTimeout must be positive, got PT0S");
    assertThatThrownBy(() -> Durations.requirePositive(Duration.ofSeconds(-1), "stopTimeout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stopTimeout must be positive, got PT-1S");
    assertThatThrownBy(() -> Durations.requirePositive(null, "stopTimeout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stopTimeout must be positive, got null");
  }
}
