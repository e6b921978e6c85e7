package io.vaeguard.cli;

import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.SyntheticCsv;
import io.vaeguard.model.synth.UnivariateConfig;
import io.vaeguard.model.synth.UnivariateCsv;
import io.vaeguard.model.synth.UnivariateKind;
import io.vaeguard.model.synth.UnivariateSpan;
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
      "Columns: timestamp (epoch ms), entity, the channels, anomaly (0/1), kind. Same seed, same file.",
      "",
      "With --univariate: one metric per entity (CPU, latency, requests, ...)",
      "with daily and weekly cycles, a slow trend, noise and level shifts",
      "(normal: label 0, kind level-shift on their first row), and rare",
      "anomalies (spike, dip, stuck, pattern-change).",
      "Columns: timestamp, entity, value, anomaly, kind; the labels file lists",
      "spans as entity, start, end, kind, label."
    })
final class SynthCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--entities",
      defaultValue = "20",
      description = "Number of entities (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(
      names = "--steps",
      defaultValue = "2000",
      description = "Readings per entity (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(
      names = "--step-millis",
      defaultValue = "60000",
      description =
          "Event time between two readings of an entity, ms (default: ${DEFAULT-VALUE}, so a day is 1440 steps).")
  long stepMillis;

  @Option(
      names = "--anomaly-rate",
      paramLabel = "P",
      description =
          "Expected fraction of anomalous readings, 0 for clean data (default: 0.02, or 0.01 with --univariate).")
  Double anomalyRate;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.csv",
      description = "Readings CSV to write.")
  Path out;

  @Option(
      names = "--labels-out",
      paramLabel = "FILE.csv",
      description = "Also write every injected anomaly span (entity, start, end, kind, channels).")
  Path labelsOut;

  @Option(
      names = "--univariate",
      description =
          "One metric per entity instead of 8 channels: columns timestamp,entity,value,anomaly,kind; the labels file has entity,start,end,kind,label and lists level shifts (label 0) too.")
  boolean univariate;

  @Option(
      names = "--level-shifts-per-day",
      paramLabel = "N",
      description =
          "With --univariate: expected level shifts (normal, label 0) per entity per day of event time (default: 1/3).")
  Double levelShiftsPerDay;

  @Override
  public Integer call() {
    if (univariate) {
      return univariate();
    }
    if (levelShiftsPerDay != null) {
      throw new IllegalArgumentException("--level-shifts-per-day needs --univariate");
    }
    PrintWriter o = spec.commandLine().getOut();
    GeneratorConfig cfg =
        GeneratorConfig.builder()
            .entities(entities)
            .stepMillis(stepMillis)
            .seed(seed)
            .anomalyRate(anomalyRate == null ? 0.02 : anomalyRate)
            .build();
    try {
      Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      List<AnomalySpan> spans = SyntheticCsv.writeReadings(out, cfg, steps);
      if (labelsOut != null) {
        SyntheticCsv.writeSpans(labelsOut, spans);
      }
      o.printf(
          "wrote %d readings (%d entities x %d steps) with %d anomaly spans to %s%n",
          entities * steps, entities, steps, spans.size(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return 0;
  }

  private int univariate() {
    PrintWriter o = spec.commandLine().getOut();
    UnivariateConfig cfg =
        UnivariateConfig.builder()
            .entities(entities)
            .stepMillis(stepMillis)
            .seed(seed)
            .anomalyRate(anomalyRate == null ? UnivariateConfig.DEFAULT_ANOMALY_RATE : anomalyRate)
            .levelShiftsPerDay(
                levelShiftsPerDay == null
                    ? UnivariateConfig.DEFAULT_LEVEL_SHIFTS_PER_DAY
                    : levelShiftsPerDay)
            .build();
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      List<UnivariateSpan> spans = UnivariateCsv.writeRows(out, cfg, steps);
      if (labelsOut != null) {
        Files.createDirectories(labelsOut.toAbsolutePath().getParent());
        UnivariateCsv.writeSpans(labelsOut, spans);
      }
      long shifts = spans.stream().filter(s -> s.kind() == UnivariateKind.LEVEL_SHIFT).count();
      o.printf(
          "wrote %d values (%d entities x %d steps) with %d anomaly spans and %d level shifts to %s%n",
          entities * steps, entities, steps, spans.size() - shifts, shifts, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return 0;
  }
}
