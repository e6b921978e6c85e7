package io.vaeguard.cli;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.data.RowRange;
import io.vaeguard.model.offline.RowScores;
import io.vaeguard.model.offline.TableScorer;
import io.vaeguard.model.scorer.VaeScorer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score every row of a CSV file with a model.",
      "",
      "Writes one line per row:",
      "row, timestamp, entity, score (calibrated, 0-1), raw score, reconstruction error, KL, alert (0/1), top feature.",
      "Scores are causal: a row's window holds it and the rows of its entity before it; a row",
      "without a full window yet gets score 0 and alert 0."
    })
final class ScoreCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "Model directory (from 'vaeguard train'), e.g. models/default.")
  String model;

  @Option(
      names = "--precision",
      paramLabel = "P",
      description =
          "Which variant to run: fp32, int8, int8-static or fp16w (default: the card's when DIR holds "
              + "model.json itself, as an 'optimize' variant does; else fp32).")
  String precision;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE.csv",
      description = "Rows to score; must have the model's feature columns.")
  Path input;

  @Mixin CsvInput csv;

  @Option(
      names = "--rows",
      paramLabel = "FROM:TO",
      converter = RowRangeConverter.class,
      description =
          "Rows to write, 0-based, TO exclusive, e.g. 400: (earlier rows still fill the first windows).")
  RowRange rows;

  @Mixin ScorerFlags scorerFlags;

  @Option(names = "--out", required = true, paramLabel = "scores.csv", description = "Output CSV.")
  Path out;

  /**
   * --model and --precision (without it: the card's own when DIR is a single model, as an optimize
   * variant is).
   */
  private ModelRef modelRef() {
    return ModelRef.parse(model, precision == null ? null : Precision.parse(precision), "--model");
  }

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    try (VaeScorer scorer = modelRef().open(scorerFlags.options())) {
      var card = scorer.card();
      List<String> columns = csv.columns(input);
      List<String> missing = card.features().stream().filter(f -> !columns.contains(f)).toList();
      if (!missing.isEmpty()) {
        throw new UserError(
            input
                + " lacks the model's feature column(s) "
                + String.join(", ", missing)
                + "; its columns are: "
                + String.join(", ", columns));
      }
      RowRange wanted = rows == null ? RowRange.ALL : rows;
      // Windows and persistence look back along each entity, and in a file of many entities an
      // entity's earlier rows lie anywhere before FROM: score every row up to TO, write from FROM.
      OptionalInt from = wanted.from();
      RowRange read = new RowRange(OptionalInt.empty(), wanted.to());
      CsvOptions opts = csv.builder(input).features(card.features()).range(read).build();
      CsvTable table = CsvTable.read(input, opts);
      RowScores s =
          TableScorer.score(
              scorer,
              io.vaeguard.model.detect.Detector.of(card),
              table.values(),
              table.entities(),
              io.vaeguard.model.offline.Tables.eventTimes(table));
      int firstRow = from.orElse(0);
      int written = 0;
      int alerts = 0;
      int opened = 0;
      try (BufferedWriter w = Files.newBufferedWriter(out)) {
        w.write(
            "row,timestamp,entity,score,raw_score,statistic,reconstruction_error,kl,alert,severity,band,event,top_feature\n");
        for (int i = 0; i < s.rows(); i++) {
          int row = table.rowIndex()[i];
          if (row < firstRow) {
            continue;
          }
          w.write(
              String.format(
                  Locale.ROOT,
                  "%d,%s,%s,%.6f,%.6g,%.6g,%.6g,%.6g,%d,%d,%s,%s,%s%n",
                  row,
                  table.times() == null ? "" : table.times()[i],
                  table.entities() == null ? "" : table.entities()[i],
                  s.score()[i],
                  s.raw()[i],
                  s.statistic()[i],
                  s.reconstructionError()[i],
                  s.kl()[i],
                  s.alert()[i] ? 1 : 0,
                  s.severity()[i],
                  io.vaeguard.model.detect.Severity.band(s.severity()[i]).id(),
                  s.scored()[i] ? s.event()[i].name().toLowerCase(Locale.ROOT) : "warming-up",
                  s.scored()[i] ? s.topFeature()[i] : ""));
          written++;
          alerts += s.alert()[i] ? 1 : 0;
          opened += s.event()[i] == io.vaeguard.model.detect.AlertEvent.OPEN ? 1 : 0;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
      }
      o.printf(
          "scored %d rows with %s %s (%s, threshold %s: %s): %d anomalous rows, %d alert episodes -> %s%n",
          written,
          card.name(),
          card.precision(),
          scorer.provider(),
          card.threshold(),
          card.thresholdRule(),
          alerts,
          opened,
          out);
    }
    return 0;
  }
}
