package io.vaeguard.cli;

import io.vaeguard.cli.run.KafkaCheck;
import io.vaeguard.cli.run.LocalFlink;
import io.vaeguard.cli.run.RemoteFlink;
import io.vaeguard.model.ModelRef;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.pipeline.config.JobArgs;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.config.JobOption;
import io.vaeguard.pipeline.config.JobOptions;
import io.vaeguard.pipeline.job.KafkaConnectors;
import io.vaeguard.pipeline.job.VaeguardJob;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaeguard run}: the streaming job, in a local Flink (MiniCluster with the dashboard) until
 * Ctrl-C, or submitted to a running cluster with {@code --jobmanager}. The job's flags are made
 * from {@link JobOptions#ALL} (see {@link JobFlags}), so {@code --help} prints the same
 * descriptions and defaults as the config file documentation.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    modelTransformer = RunCommand.JobFlags.class,
    sortOptions = false,
    description = {
      "Run the streaming job: Kafka (Avro Observation) -> VAE scores -> alerts to Kafka.",
      "",
      "Locally (the default), Flink runs in this JVM until Ctrl-C or the job ends,",
      "with its dashboard on http://127.0.0.1:8081 (--web-port). With --jobmanager,",
      "the job jar goes to a running Flink cluster instead.",
      "Settings: the defaults, overridden by --config FILE, overridden by flags.",
      ""
    })
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = JobArgs.CONFIG_FLAG,
      paramLabel = "FILE",
      order = 100,
      description =
          "Properties file with the settings below by key (e.g. scoring.batch-size=512) and kafka.* "
              + "client properties; flags override it.")
  Path configFile;

  @Option(
      names = JobArgs.KAFKA_PROPERTY_FLAG,
      paramLabel = "KEY=VALUE",
      order = 101,
      description =
          "Kafka client property for the source and the sinks, e.g. security.protocol=SASL_SSL "
              + "(repeatable; values of secret-looking keys are masked in logs).")
  List<String> kafkaProperties;

  @Option(
      names = "--web-port",
      paramLabel = "N",
      defaultValue = "8081",
      order = 102,
      description =
          "Local mode: port of the Flink dashboard and REST API on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int webPort;

  @Option(
      names = RemoteFlink.JOBMANAGER_FLAG,
      paramLabel = "HOST:PORT",
      order = 103,
      description =
          "Submit the job to the running Flink cluster whose REST endpoint (the dashboard's address) "
              + "this is, print the job id and exit, instead of running locally (as 'vaeguard submit' does).")
  String jobManager;

  @Option(
      names = RemoteFlink.JOB_JAR_FLAG,
      paramLabel = "FILE",
      order = 104,
      description = "With " + RemoteFlink.JOBMANAGER_FLAG + ": the " + RemoteFlink.JOB_JAR_HELP)
  Path jobJar;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    boolean remote = jobManager != null;
    JobConfig cfg = jobArgs(remote).toConfig();
    ModelRef model = cfg.model();
    ModelCard card = model.readCard();
    String name = VaeguardJob.jobName(card);
    if (remote) {
      try (RemoteFlink cluster = RemoteFlink.connect(jobManager, out)) {
        Path jar = RemoteFlink.jobJar(jobJar, RemoteFlink.JOB_JAR_FLAG);
        out.println("Settings: " + cfg);
        if (!model.onClasspath()) {
          out.println(
              "Note: model.dir "
                  + cfg.modelDir()
                  + " must exist at that path on every TaskManager "
                  + "(the job jar carries the default model: --model-dir classpath:models/default).");
        }
        cluster.checkReachable();
        cluster.submit(env -> build(env, cfg), name, jar);
        return 0;
      }
    }
    out.println("Settings: " + cfg);
    out.flush();
    LocalFlink flink = new LocalFlink(webPort, cfg.parallelism(), out);
    LocalFlink.checkPortFree(webPort);
    KafkaCheck.check(cfg, out);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(flink.configuration());
    build(env, cfg);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    JobGraph job = graph.getJobGraph();
    return flink.run(job);
  }

  private static void build(StreamExecutionEnvironment env, JobConfig cfg) {
    VaeguardJob.build(env, cfg, KafkaConnectors.source(cfg), KafkaConnectors.sinks(cfg));
  }

  /**
   * The job's arguments as given: only flags the user typed, so the config file keeps the others.
   */
  JobArgs jobArgs(boolean remote) {
    JobArgs args = new JobArgs().packedDefaultModel(remote);
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        throw new UserError(JobArgs.CONFIG_FLAG + ": no such file: " + configFile);
      }
      args.configFile(configFile);
    }
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (JobOption<?> o : JobOptions.ALL) {
      OptionSpec flag = spec.findOption(o.flag());
      if (parsed.hasMatchedOption(flag)) {
        args.set(o, flag.getValue());
      }
    }
    if (kafkaProperties != null) {
      kafkaProperties.forEach(args::kafkaProperty);
    }
    return args;
  }

  /**
   * Adds a flag for every {@link JobOptions} setting to the command's model: its {@link
   * JobOption#flag()}, {@link JobOption#paramLabel()} and {@link JobOption#helpText()}. The values
   * stay text here: {@link JobConfig} parses and checks them, once, as for the job jar.
   */
  static final class JobFlags implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      // --help and --version last, after the job's settings and the run options
      for (String name : List.of("--help", "--version")) {
        OptionSpec std = spec.findOption(name);
        if (std != null) {
          spec.remove(std);
          spec.addOption(std.toBuilder().order(200 + name.length()).build());
        }
      }
      int order = 0;
      for (JobOption<?> o : JobOptions.ALL) {
        spec.addOption(
            OptionSpec.builder(o.flag())
                .paramLabel(o.paramLabel())
                .type(String.class)
                .description(o.helpText())
                .order(order++)
                .build());
      }
      return spec;
    }
  }
}
