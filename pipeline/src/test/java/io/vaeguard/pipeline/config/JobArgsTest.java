package io.vaeguard.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobArgsTest {

  @Test
  void readsBothFlagFormsTheConfigFileAndKafkaProperties(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("job.properties"),
            """
        bootstrap.servers=broker:9093
        scoring.batch-size=64
        kafka.security.protocol=SASL_SSL
        """);

    JobConfig c =
        JobArgs.parse(
                "--config",
                file.toString(),
                "--scoring-batch-size=128",
                "--input-topic",
                "in",
                "--kafka-property",
                "sasl.jaas.config=secret stuff",
                "--model-dir",
                JobArgs.PACKED_DEFAULT_MODEL)
            .toConfig();

    assertThat(c.bootstrapServers()).isEqualTo("broker:9093");
    assertThat(c.batchSize()).isEqualTo(128);
    assertThat(c.inputTopic()).isEqualTo("in");
    assertThat(c.kafkaProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", "secret stuff");
    assertThat(c.toString()).doesNotContain("secret stuff");
  }

  @Test
  void everyOptionHasItsFlag() {
    for (JobOption o : JobOptions.ALL) {
      assertThat(JobArgs.option(o.flag())).isEqualTo(o);
      assertThat(JobArgs.usage("x")).contains(o.flag()).contains(o.description());
    }
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> JobArgs.parse("--scoring-batchsize", "1"))
        .hasMessageStartingWith("unknown option '--scoring-batchsize'");
    assertThatThrownBy(() -> JobArgs.parse("--input-topic"))
        .hasMessage("--input-topic needs a value");
    assertThatThrownBy(() -> JobArgs.parse("observations"))
        .hasMessageStartingWith("unexpected argument 'observations'");
    assertThatThrownBy(() -> JobArgs.parse("--kafka-property", "acks"))
        .hasMessageContaining("'acks' is not KEY=VALUE");
  }

  @Test
  void aBadValueFromAFlagNamesTheFlag(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> JobArgs.parse("--scoring-batch-size", "0").toConfig())
        .hasMessage("--scoring-batch-size must be positive, got 0");
    assertThatThrownBy(() -> JobArgs.parse("--model-precision", "int4").toConfig())
        .hasMessageStartingWith("--model-precision: unknown precision 'int4'");
    Path missing = dir.resolve("no-model");
    assertThatThrownBy(() -> JobArgs.parse("--model-dir", missing.toString()).toConfig())
        .hasMessage("--model-dir: no such directory: " + missing);
    // from the file, the key
    Path file = Files.writeString(dir.resolve("job.properties"), "scoring.batch-size=0\n");
    assertThatThrownBy(() -> JobArgs.parse("--config", file.toString()).toConfig())
        .hasMessage("scoring.batch-size must be positive, got 0");
  }

  @Test
  void withoutAModelDirectoryTheJarsCopyServes(@TempDir Path dir) {
    // the tests run in pipeline/, which has no models/default
    assertThat(JobArgs.parse().toConfig().modelDir()).isEqualTo(JobArgs.PACKED_DEFAULT_MODEL);
    assertThat(new JobArgs().packedDefaultModel(true).toConfig().modelDir())
        .isEqualTo(JobArgs.PACKED_DEFAULT_MODEL);
    assertThat(
            JobArgs.parse("--model-dir", dir.toString())
                .packedDefaultModel(true)
                .toConfig()
                .modelDir())
        .isEqualTo(dir.toString());
  }
}
