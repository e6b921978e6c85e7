package io.vaeguard.cli;

import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.SyntheticCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic sensor data with injected anomalies to CSV.",
      "",
      "8 correlated channels per entity with a daily pattern and noise,",
      "and, at --anomaly-rate, injected anomalies (spike, level shift, drift, stuck sensor, correlation break).",
      "Columns: timestamp (epoch ms), entity, the channels, anomaly (0/1), kind. Same seed, same file."
    })
final class SynthCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--entities", defaultValue = "20", description = "Number of entities (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(names = "--steps", defaultValue = "2000", description = "Readings per entity (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--step-millis", defaultValue = "60000",
      description = "Event time between two readings of an entity, ms (default: ${DEFAULT-VALUE}, so a day is 1440 steps).")
  long stepMillis;

  @Option(names = "--anomaly-rate", defaultValue = "0.02",
      description = "Expected fraction of anomalous readings, 0 for clean data (default: ${DEFAULT-VALUE}).")
  double anomalyRate;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Readings CSV to write.")
  Path out;

  @Option(names = "--labels-out", paramLabel = "FILE.csv", description = "Also write every injected anomaly span (entity, start, end, kind, channels).")
  Path labelsOut;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    GeneratorConfig cfg = GeneratorConfig.builder()
        .entities(entities).stepMillis(stepMillis).seed(seed).anomalyRate(anomalyRate).build();
    try {
      Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      List<AnomalySpan> spans = SyntheticCsv.writeReadings(out, cfg, steps);
      if (labelsOut != null) {
        SyntheticCsv.writeSpans(labelsOut, spans);
      }
      o.printf("wrote %d readings (%d entities x %d steps) with %d anomaly spans to %s%n", entities * steps, entities,
          steps, spans.size(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return 0;
  }
}
