package io.vaeguard.cli;

import io.vaeguard.cli.live.AlertView;
import io.vaeguard.pipeline.generator.LabelSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vaeguard alerts}: the live alert view. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "Print alerts from a Kafka topic as they arrive, one line each, and a tally every few seconds.",
      "",
      "A line: event time, entity, severity, calibrated score, the features with the largest shares of the",
      "reconstruction error. The tally: alerts so far, the input topic's records and rate (--input-topic), and",
      "with --labels how many injected anomalies were caught (an alert for the entity within the anomaly or",
      "--grace-millis after it), missed or still open. Reads read_committed, in no consumer group."
    })
final class AlertsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      paramLabel = "HOST:PORT",
      description = "Kafka to read from (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--topic",
      defaultValue = "alerts",
      description = "Alert topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--labels",
      paramLabel = "FILE.csv",
      description =
          "Injected anomaly spans ('vaeguard generate --labels-out'); re-read as the file changes.")
  Path labels;

  @Option(
      names = "--input-topic",
      paramLabel = "TOPIC",
      description = "Report this topic's records and their rate in the tally, e.g. observations.")
  String inputTopic;

  @Option(
      names = "--grace-millis",
      defaultValue = "10000",
      description =
          "An alert up to this long after an anomaly's end (event time) still catches it"
              + " (default: ${DEFAULT-VALUE}).")
  long graceMillis;

  @Option(
      names = "--tally-seconds",
      defaultValue = "5",
      description = "Seconds between tally lines (default: ${DEFAULT-VALUE}).")
  long tallySeconds;

  @Option(
      names = "--from-end",
      description = "Show only alerts that arrive from now on (default: from the beginning).")
  boolean fromEnd;

  @Option(
      names = "--max-alerts",
      defaultValue = "0",
      description = "Stop after this many alerts; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
  long maxAlerts;

  @Option(
      names = "--duration-seconds",
      defaultValue = "0",
      description =
          "Stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      description = "Time zone of the printed times, e.g. UTC (default: the system's).")
  ZoneId zone;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (tallySeconds < 1) {
      throw new UserError("--tally-seconds must be at least 1, got " + tallySeconds);
    }
    if (graceMillis < 0 || maxAlerts < 0 || durationSeconds < 0) {
      throw new UserError("--grace-millis, --max-alerts and --duration-seconds must be >= 0");
    }
    AlertView view =
        AlertView.builder(bootstrapServers, topic, out)
            .inputTopic(inputTopic)
            .labels(labels == null ? null : LabelSource.file(labels))
            .grace(Duration.ofMillis(graceMillis))
            .tallyInterval(Duration.ofSeconds(tallySeconds))
            .zone(zone == null ? ZoneId.systemDefault() : zone)
            .fromBeginning(!fromEnd)
            .maxAlerts(maxAlerts)
            .duration(Duration.ofSeconds(durationSeconds))
            .build();
    // Ctrl-C: the view prints its last tally, then the JVM exits
    Thread hook =
        new Thread(
            () -> {
              view.stop();
              try {
                view.awaitFinished(Duration.ofSeconds(5));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vaeguard-alerts-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      view.run();
    } finally {
      GenerateCommand.removeHook(hook);
    }
    return 0;
  }
}
