package io.vaeguard.pipeline.job;

import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.config.JobOption;
import io.vaeguard.pipeline.config.JobOptions;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The shaded job jar's main class ({@code pipeline/target/vaeguard-job.jar}), for {@code flink run},
 * a REST submission ({@code vaeguard submit}) or the Docker image: the real Kafka source and sinks,
 * settings from flags derived from {@link JobOptions} keys ({@code --bootstrap-servers},
 * {@code --checkpoint-interval-ms}, ...), {@code --config FILE} and {@code --kafka-property K=V}.
 *
 * <p>Minimal stand-in written for the cluster module's tests; the full version (help text and the
 * same flags as {@code vaeguard run}) comes with the {@code run} verb.
 */
public final class VaeguardJobMain {

  private VaeguardJobMain() {}

  public static void main(String[] args) throws Exception {
    JobConfig cfg = parse(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    VaeguardJob.build(env, cfg, KafkaConnectors.source(cfg), KafkaConnectors.sinks(cfg));
    env.execute("vaeguard " + cfg.inputTopic() + " -> " + cfg.alertsTopic());
  }

  /** {@code --flag VALUE} or {@code --flag=VALUE} for every job option; unknown flags are errors. */
  static JobConfig parse(String[] args) {
    JobConfig.Builder b = JobConfig.builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      }
      if (value == null) {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      switch (arg) {
        case "--config" -> b.file(Path.of(value));
        case "--kafka-property" -> {
          int kv = value.indexOf('=');
          if (kv < 1) {
            throw new IllegalArgumentException("--kafka-property wants KEY=VALUE, got '" + value + "'");
          }
          b.kafkaProperty(value.substring(0, kv), value.substring(kv + 1));
        }
        default -> b.set(option(arg), value);
      }
    }
    return b.build();
  }

  private static JobOption option(String flag) {
    for (JobOption o : JobOptions.ALL) {
      if (o.flag().equals(flag)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown flag " + flag + "; flags are --config, --kafka-property and "
        + String.join(", ", JobOptions.ALL.stream().map(JobOption::flag).toList()));
  }
}
