package io.vaeguard.cli;

import io.vaeguard.cli.live.KafkaClients;
import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.pipeline.generator.ObservationProducer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaeguard generate}: synthetic observations with injected anomalies, live, to a Kafka
 * topic.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Send synthetic sensor readings with injected anomalies to a Kafka topic, at a steady rate.",
      "",
      "Avro Observations in single-object encoding, keyed by entity id, with the reading's event time and its",
      "ground truth as labels (anomaly=0/1, kind). Readings go round the entities; the event time of an",
      "entity advances by --step-millis per reading. The labels file lists every injected anomaly span",
      "(entity, start, end, kind, channels), clipped to what was sent; it is rewritten with every progress",
      "line and at the end, Ctrl-C included. Progress goes to stderr."
    })
final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      paramLabel = "HOST:PORT",
      description =
          "Kafka to send to (default: ${DEFAULT-VALUE}, what 'vaeguard kafka start' starts).")
  String bootstrapServers;

  @Option(
      names = "--topic",
      defaultValue = "observations",
      description = "Topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--rate",
      defaultValue = "100",
      description =
          "Records a second, all entities together; 0 sends as fast as it can (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--count",
      defaultValue = "0",
      description = "Records in all; 0 sends until Ctrl-C (default: ${DEFAULT-VALUE}).")
  long count;

  @Option(
      names = "--anomaly-rate",
      defaultValue = "0.02",
      description =
          "Expected fraction of anomalous readings, 0 for clean data (default: ${DEFAULT-VALUE}).")
  double anomalyRate;

  @Option(
      names = "--labels-out",
      paramLabel = "FILE.csv",
      description = "Write every injected anomaly span (entity, start, end, kind, channels) here.")
  Path labelsOut;

  @Option(
      names = "--entities",
      defaultValue = "20",
      description = "Number of entities (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--step-millis",
      defaultValue = "1000",
      description = "Event time between two readings of an entity, ms (default: ${DEFAULT-VALUE}).")
  long stepMillis;

  @Option(
      names = "--start-time",
      defaultValue = "now",
      paramLabel = "now|EPOCH_MS|ISO",
      description =
          "Event time of the first readings: now (to the second), epoch millis or an ISO-8601 instant"
              + " such as 2024-01-01T00:00:00Z (default: ${DEFAULT-VALUE}).")
  String startTime;

  @Option(
      names = "--progress-seconds",
      defaultValue = "5",
      description = "Seconds between progress lines on stderr (default: ${DEFAULT-VALUE}).")
  long progressSeconds;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (progressSeconds < 1) {
      throw new UserError("--progress-seconds must be at least 1, got " + progressSeconds);
    }
    GeneratorConfig config =
        GeneratorConfig.builder()
            .entities(entities)
            .stepMillis(stepMillis)
            .seed(seed)
            .anomalyRate(anomalyRate)
            .startMillis(parseStart(startTime))
            .build();
    ObservationProducer producer =
        ObservationProducer.builder(bootstrapServers, topic, config)
            .rate(rate)
            .count(count)
            .labelsOut(labelsOut)
            .progress(err)
            .progressInterval(Duration.ofSeconds(progressSeconds))
            .build();
    // Ctrl-C: stop sending, flush, write the labels; the hook waits for run() to do that
    Thread hook =
        new Thread(
            () -> {
              producer.stop();
              try {
                if (!producer.awaitFinished(Duration.ofSeconds(10))) {
                  producer.writeLabels();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vaeguard-generate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ObservationProducer.Summary s;
    try {
      KafkaClients.requireReachable(bootstrapServers, "--bootstrap-servers");
      s = producer.run();
    } catch (ObservationProducer.Failure e) {
      throw userError(e);
    } finally {
      removeHook(hook);
    }
    out.println(
        String.format(
            Locale.ROOT,
            "sent %,d records to %s on %s in %.1f s (%.1f/s): %d anomaly spans, %,d"
                + " anomalous records%s%s",
            s.sent(),
            topic,
            bootstrapServers,
            s.elapsed().toMillis() / 1000.0,
            s.ratePerSecond(),
            s.spans(),
            s.anomalous(),
            labelsOut == null ? "" : "; labels in " + labelsOut,
            s.stopped() ? " (stopped)" : ""));
    out.flush();
    return 0;
  }

  /** The producer's failure as one line, with what the Kafka client said and what to do. */
  static UserError userError(ObservationProducer.Failure e) {
    String why = KafkaClients.rootMessage(e.getCause() != null ? e.getCause() : e);
    if (e.topicUnavailable()) {
      return new UserError(
          "topic "
              + e.topic()
              + " is not available on "
              + e.bootstrapServers()
              + " ("
              + why
              + "); create it with 'vaeguard kafka topics --create "
              + e.topic()
              + "'");
    }
    return new UserError(e.getMessage() + ": " + why);
  }

  static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting (Ctrl-C): the hook is running and waits for us
    }
  }

  static long parseStart(String value) {
    String v = value.strip();
    if (v.equalsIgnoreCase("now")) {
      long now = System.currentTimeMillis();
      return now - now % 1000;
    }
    if (v.matches("-?\\d+")) {
      return Long.parseLong(v);
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new UserError(
          "--start-time '"
              + value
              + "' is neither now, epoch millis nor an ISO-8601 instant such as"
              + " 2024-01-01T00:00:00Z");
    }
  }
}
