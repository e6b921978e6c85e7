package io.vaeguard.pipeline.job;

import io.vaeguard.pipeline.config.JobArgs;
import io.vaeguard.pipeline.config.JobConfig;
import java.util.Arrays;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jar's entry point, for {@code flink run vaeguard-job.jar --bootstrap-servers ... }: the
 * same options as {@code vaeguard run} ({@link JobArgs}), on whatever environment Flink's client
 * provides. Without {@code --model-dir} it serves the default model packed in the jar.
 */
public final class VaeguardJobMain {

  private static final Logger LOG = LoggerFactory.getLogger(VaeguardJobMain.class);

  private VaeguardJobMain() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(JobArgs.usage("flink run vaeguard-job.jar"));
      return;
    }
    // A bad option is an IllegalArgumentException whose message names it; Flink's client prints it.
    JobConfig cfg = JobArgs.parse(args).packedDefaultModel(true).toConfig();
    String name = VaeguardJob.jobName(cfg.model().readCard());
    LOG.info("{}: {}", name, cfg);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    VaeguardJob.build(env, cfg, KafkaConnectors.source(cfg), KafkaConnectors.sinks(cfg));
    env.execute(name);
  }
}
