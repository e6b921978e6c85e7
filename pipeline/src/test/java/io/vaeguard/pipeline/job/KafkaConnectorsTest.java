package io.vaeguard.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.config.JobConfig;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaConnectorsTest {

  @Test
  void throughputDefaultsApplyUnlessThePassThroughSetsTheKey() {
    JobConfig cfg =
        JobConfig.builder()
            .kafkaProperty("linger.ms", "0")
            .kafkaProperty("max.poll.records", "50")
            .build();

    Properties sink =
        KafkaConnectors.withDefaults(cfg.kafkaProperties(), KafkaConnectors.SINK_DEFAULTS);
    assertThat(sink.getProperty("linger.ms")).as("the user's value wins").isEqualTo("0");
    assertThat(sink.getProperty("batch.size")).isEqualTo("262144");

    Properties source =
        KafkaConnectors.withDefaults(cfg.kafkaProperties(), KafkaConnectors.SOURCE_DEFAULTS);
    assertThat(source.getProperty("max.poll.records")).isEqualTo("50");
    assertThat(source).doesNotContainKey("fetch.min.bytes");

    Properties plain =
        KafkaConnectors.withDefaults(
            JobConfig.builder().build().kafkaProperties(), KafkaConnectors.SOURCE_DEFAULTS);
    assertThat(plain.getProperty("max.poll.records")).isEqualTo("2000");
  }
}
