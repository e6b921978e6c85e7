package io.vaeguard.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  @Test
  void defaultsAreUsable() {
    JobConfig c = JobConfig.builder().build();
    assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(c.batchSize()).isEqualTo(256);
    assertThat(c.maxWait()).isEqualTo(Duration.ofMillis(10));
    assertThat(c.precision()).as("empty: the model directory's own").isNull();
    assertThat(c.scoresTopic()).isNull();
    assertThat(Double.isNaN(c.threshold())).isTrue();
    assertThat(c.delivery()).isEqualTo(DeliveryMode.EXACTLY_ONCE);
  }

  @Test
  void flagsOverrideTheFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.properties");
    Files.writeString(
        file,
        """
        bootstrap.servers=broker:9093
        scoring.batch-size=64
        kafka.security.protocol=SASL_SSL
        kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="hunter2";
        """);
    JobConfig c = JobConfig.builder().file(file).set(JobOptions.BATCH_SIZE, "128").build();
    assertThat(c.bootstrapServers()).isEqualTo("broker:9093");
    assertThat(c.batchSize()).isEqualTo(128);
    assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(c.kafkaProperties().getProperty("sasl.jaas.config")).contains("hunter2");
    // Secrets never reach a log line.
    assertThat(c.toString())
        .contains("security.protocol=SASL_SSL")
        .doesNotContain("hunter2")
        .contains("******");
  }

  @Test
  void badValuesNameTheirKey(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> JobConfig.builder().set(JobOptions.BATCH_SIZE, "many").build())
        .hasMessage("scoring.batch-size: 'many' is not a whole number");
    assertThatThrownBy(() -> JobConfig.builder().set(JobOptions.BATCH_SIZE, "0").build())
        .hasMessage("scoring.batch-size must be positive, got 0");
    assertThatThrownBy(() -> JobConfig.builder().set(JobOptions.THRESHOLD, "1.5").build())
        .hasMessageStartingWith("alert.threshold: '1.5'");
    assertThatThrownBy(() -> JobConfig.builder().set(JobOptions.PRECISION, "int4").build())
        .hasMessageStartingWith("model.precision: ")
        .hasMessageContaining("fp32");
    assertThatThrownBy(() -> JobConfig.builder().set("scoring.batchsize", "1"))
        .hasMessageStartingWith("unknown setting 'scoring.batchsize'");
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "delivery.guarantee=twice\n");
    assertThatThrownBy(() -> JobConfig.builder().file(file).build())
        .hasMessageContaining("delivery.guarantee: 'twice'");
  }

  @Test
  void exactlyOnceNeedsCheckpoints() {
    assertThatThrownBy(() -> JobConfig.builder().set(JobOptions.CHECKPOINT_INTERVAL, "0").build())
        .hasMessageContaining("exactly-once needs checkpointing");
    JobConfig c =
        JobConfig.builder()
            .set(JobOptions.CHECKPOINT_INTERVAL, "0")
            .set(JobOptions.DELIVERY, "at-least-once")
            .build();
    assertThat(c.checkpointInterval()).isZero();
  }

  @Test
  void secretsAreRecognised() {
    assertThat(Secrets.isSecret("ssl.key.password")).isTrue();
    assertThat(Secrets.isSecret("sasl.jaas.config")).isTrue();
    assertThat(Secrets.isSecret("ssl.truststore.password")).isTrue();
    assertThat(Secrets.isSecret("ssl.keystore.location")).isFalse();
    assertThat(Secrets.isSecret("security.protocol")).isFalse();
  }
}
