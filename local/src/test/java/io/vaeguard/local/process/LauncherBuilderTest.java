package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LauncherBuilderTest {

  /** The smallest launcher builder: nothing of its own. */
  static final class Plain extends LauncherBuilder<Plain> {
    Plain(Path workDir) {
      super(workDir, Duration.ofSeconds(60));
    }
  }

  @Test
  void defaultsAndSettersMakeTheSettings() {
    assertThat(new Plain(Path.of("work")).settings())
        .isEqualTo(
            new LaunchSettings(
                Path.of("work").toAbsolutePath().normalize(),
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                false));

    LaunchSettings s =
        new Plain(Path.of("a/../work"))
            .startupTimeout(Duration.ofSeconds(5))
            .stopTimeout(Duration.ofSeconds(1))
            .detached(true)
            .settings();

    assertThat(s.workDir()).isEqualTo(Path.of("work").toAbsolutePath().normalize());
    assertThat(s.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.stopTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.detached()).isTrue();
  }

  @Test
  void timeoutsMustBePositive() {
    assertThatThrownBy(() -> new Plain(Path.of("w")).startupTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("startupTimeout must be positive, got PT0S");
    assertThatThrownBy(() -> new Plain(Path.of("w")).stopTimeout(Duration.ofSeconds(-1)))
        .hasMessage("stopTimeout must be positive, got PT-1S");
  }
}
