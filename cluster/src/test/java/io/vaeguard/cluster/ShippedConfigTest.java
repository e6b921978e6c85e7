package io.vaeguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the shipped {@code flink-conf/config.yaml} promises operators (README, "Standalone Flink
 * cluster").
 */
class ShippedConfigTest {

  private static final Path CONFIG = Path.of("../flink-conf/config.yaml");

  @Test
  void theJobRestartsForEverWithBackoff() throws Exception {
    Map<String, Object> conf = FlinkConfigFile.read(CONFIG).asMap();
    // fixed-delay with a few attempts let a job die while TaskManagers were replaced (issue 14)
    assertThat(conf).containsEntry("restart-strategy.type", "exponential-delay");
    assertThat(conf.keySet())
        .as("no attempt limit: Flink's default for attempts-before-reset-backoff is unlimited")
        .noneMatch(k -> k.contains("attempts"));
    assertThat(conf).containsEntry("restart-strategy.exponential-delay.max-backoff", "30 s");
  }
}
