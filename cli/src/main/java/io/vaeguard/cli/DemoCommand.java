package io.vaeguard.cli;

import io.vaeguard.cli.live.AlertView;
import io.vaeguard.cli.run.LocalFlink;
import io.vaeguard.local.kafka.LocalKafka;
import io.vaeguard.model.ModelRef;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.config.JobOptions;
import io.vaeguard.pipeline.generator.ObservationProducer;
import io.vaeguard.pipeline.job.KafkaConnectors;
import io.vaeguard.pipeline.job.VaeguardJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Everything at once, on this machine: a Kafka broker, the generator, the job and the live alert view.",
      "",
      "Starts a KRaft broker (its own JVM, 127.0.0.1 only, data under --dir), creates the topics, runs the",
      "streaming job with the default model in a local Flink with its dashboard, produces synthetic sensor",
      "readings with injected anomalies, and prints alerts as they come with a running tally of records/s,",
      "alerts and injected anomalies caught. Ctrl-C (or --duration) stops everything it started."
    })
final class DemoCommand implements Callable<Integer> {

  static final String INPUT = "observations";
  static final String ALERTS = "alerts";
  static final String DEAD_LETTERS = "dead-letters";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--duration",
      paramLabel = "S",
      defaultValue = "0",
      description =
          "Stop by itself after S seconds and print a summary (default: run until Ctrl-C).")
  long durationSeconds;

  @Option(
      names = "--rate",
      paramLabel = "R",
      defaultValue = "200",
      description = "Readings per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--entities",
      paramLabel = "N",
      defaultValue = "20",
      description = "Simulated entities (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(
      names = "--anomaly-rate",
      paramLabel = "P",
      defaultValue = "0.05",
      description = "Expected fraction of anomalous readings (default: ${DEFAULT-VALUE}).")
  double anomalyRate;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--model-precision",
      paramLabel = "P",
      defaultValue = "fp32",
      description =
          "Variant of the default model to serve: fp32, int8 or fp16w (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(
      names = "--web-port",
      paramLabel = "N",
      defaultValue = "8081",
      description = "Flink dashboard port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int webPort;

  @Option(
      names = "--kafka-port",
      paramLabel = "N",
      defaultValue = "0",
      description = "Broker port on 127.0.0.1 (default: any free port).")
  int kafkaPort;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "work/demo",
      description = "Working directory for the broker's data and logs (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (durationSeconds < 0 || rate <= 0 || entities < 1) {
      throw new UserError("--duration must be >= 0, --rate > 0 and --entities >= 1");
    }
    LocalFlink.checkPortFree(webPort);
    Stack stack = new Stack(out);
    Thread hook = new Thread(stack::stop, "vaeguard-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runDemo(out, stack);
    } finally {
      stack.stop();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is stopping: the hook runs stop() anyway
      }
    }
  }

  private int runDemo(PrintWriter out, Stack stack) throws Exception {
    out.println("demo: starting a Kafka broker in " + dir.resolve("kafka") + " ...");
    out.flush();
    stack.kafka = LocalKafka.builder(dir.resolve("kafka")).port(kafkaPort).start();
    String bootstrap = stack.kafka.bootstrapServers();
    stack.kafka.createTopics(INPUT, ALERTS, DEAD_LETTERS);
    out.println(
        "demo: Kafka at " + bootstrap + ", topics " + INPUT + ", " + ALERTS + ", " + DEAD_LETTERS);

    JobConfig cfg =
        JobConfig.builder()
            .set(JobOptions.BOOTSTRAP_SERVERS, bootstrap)
            .set(JobOptions.INPUT_TOPIC, INPUT)
            .set(JobOptions.ALERTS_TOPIC, ALERTS)
            .set(JobOptions.DEAD_LETTER_TOPIC, DEAD_LETTERS)
            .set(JobOptions.GROUP_ID, "vaeguard-demo")
            .set(JobOptions.STARTING_OFFSETS, "earliest")
            .set(JobOptions.MODEL_DIR, ModelRef.defaultLocation(false))
            .set(JobOptions.PRECISION, precision)
            // One-minute readings in event time (as the default model was trained): ten minutes of
            // cool-down is ten readings of the same entity.
            .set(JobOptions.COOLDOWN, "600000")
            .set(JobOptions.CHECKPOINT_INTERVAL, "2000")
            .build();
    ModelCard card = cfg.model().readCard();
    LocalFlink flink = new LocalFlink(webPort, cfg.parallelism(), out);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(flink.configuration());
    VaeguardJob.build(env, cfg, KafkaConnectors.source(cfg), KafkaConnectors.sinks(cfg));
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(VaeguardJob.jobName(card));
    stack.flink = flink.start(graph.getJobGraph());
    out.println(
        "demo: job '"
            + VaeguardJob.jobName(card)
            + "' running; alerts are committed every 2 s (exactly-once)");

    GeneratorConfig gen =
        GeneratorConfig.builder()
            .entities(entities)
            .stepMillis(60_000)
            .seed(seed)
            .anomalyRate(anomalyRate)
            .build();
    stack.producer =
        ObservationProducer.builder(bootstrap, INPUT, gen)
            .rate(rate)
            .count(0)
            .labelsOut(dir.resolve("labels.csv"))
            .build();
    Thread producing = new Thread(stack.producer::run, "vaeguard-demo-generator");
    producing.setDaemon(true);
    producing.start();
    out.printf(
        Locale.ROOT,
        "demo: generating %.0f readings/s for %d entities, %.1f%% anomalous; labels in %s%n",
        rate,
        entities,
        100 * anomalyRate,
        dir.resolve("labels.csv"));
    out.println(
        durationSeconds > 0
            ? "demo: running for " + durationSeconds + " s"
            : "demo: Ctrl-C stops everything");
    out.flush();

    stack.view =
        AlertView.builder(bootstrap, ALERTS, out)
            .inputTopic(INPUT)
            .labels(stack.producer.labels())
            // event time runs at one-minute steps per entity: give an alert five readings after a
            // span ends
            .grace(Duration.ofMinutes(5))
            .duration(Duration.ofSeconds(durationSeconds))
            .build();
    AlertView.Result result = stack.view.run();
    if (stack.stopping.get()) {
      return 0;
    }
    stack.producer.stop();
    var tally = result.score();
    boolean jobAlive = stack.flink.isRunning();
    out.printf(
        Locale.ROOT,
        "%ndemo summary: %,d readings sent, %,d alerts, %d injected anomalies: %d caught, %d missed,"
            + " %d still open (recall %s); job %s%n",
        stack.producer.sentCount(),
        result.alerts(),
        tally == null ? 0 : tally.anomalies(),
        tally == null ? 0 : tally.caught(),
        tally == null ? 0 : tally.missed(),
        tally == null ? 0 : tally.open(),
        tally == null || Double.isNaN(tally.recall())
            ? "n/a"
            : String.format(Locale.ROOT, "%.0f%%", 100 * tally.recall()),
        jobAlive ? "running until now" : "NOT RUNNING (see the log above)");
    out.flush();
    return jobAlive ? 0 : 1;
  }

  /** What the demo started, stopped in reverse order, once. */
  private static final class Stack {
    final PrintWriter out;
    final AtomicBoolean stopping = new AtomicBoolean();
    volatile LocalKafka kafka;
    volatile LocalFlink.Running flink;
    volatile ObservationProducer producer;
    volatile AlertView view;

    Stack(PrintWriter out) {
      this.out = out;
    }

    void stop() {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      if (view != null) {
        view.stop();
      }
      if (producer != null) {
        producer.stop();
      }
      if (flink != null) {
        flink.stop();
      }
      if (kafka != null) {
        out.println("Stopping Kafka ...");
        out.flush();
        kafka.close();
      }
      out.println("demo: everything it started is stopped.");
      out.flush();
    }
  }
}
