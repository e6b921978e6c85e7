package io.vaeguard.cli;

import io.vaeguard.cli.offline.ModelRecipe;
import io.vaeguard.cli.offline.TepData;
import io.vaeguard.cli.offline.TepProtocol;
import io.vaeguard.cli.offline.TepSummary;
import io.vaeguard.cli.offline.UnivariateProtocol;
import io.vaeguard.cli.plot.EvaluationPlot;
import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.eval.DetectionMetrics;
import io.vaeguard.model.eval.RocAuc;
import io.vaeguard.model.offline.Backtest;
import io.vaeguard.model.offline.Backtest.FileResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Backtest on labelled CSV files (train per file, score the rest).",
      "",
      "For every CSV under DIR that has the label column, train on its first N rows,",
      "score the rest causally, and compare alerts with the labels.",
      "Prints F1, FAR %%, MAR %% over all test rows of all files together (SKAB's protocol) and ROC-AUC,",
      "and writes a PNG per file and a summary table to --out.",
      "",
      "--protocol tep runs the Tennessee Eastman fault-detection protocol instead: fit one model on",
      "DIR/d00.dat, score d00_te.dat .. d21_te.dat, and report the detection rate per fault and the",
      "false-alarm rates.",
      "",
      "--protocol univariate evaluates series written by synth --univariate: fit one model on",
      "--train FILE, score every labelled CSV under DIR, and report precision, recall and F1, the",
      "false-alarm rate with and without the day after each level shift, recall per anomaly kind,",
      "and how many rows after a level shift the alerts take to stop."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--protocol",
      paramLabel = "NAME",
      defaultValue = "skab",
      description =
          "skab: labelled CSV files, train per file (default: ${DEFAULT-VALUE}); tep: the Tennessee Eastman "
              + "files in --data (d00.dat to fit on, d00_te.dat .. d21_te.dat to test), no labels or --train-rows needed; "
              + "univariate: one model fitted on --train FILE, every labelled CSV under --data scored "
              + "(synth --univariate files).")
  String protocol;

  @Option(
      names = "--train",
      paramLabel = "FILE",
      description =
          "With --protocol univariate: the clean CSV to fit the one model on (the label column, 'anomaly' "
              + "unless --label-column says, and --exclude columns are not features).")
  Path trainFile;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description =
          "Directory searched recursively for *.csv; with --protocol tep, the directory of the .dat files.")
  Path data;

  // Not required by picocli: --protocol tep has no label column; call() checks it for skab.
  @Option(
      names = "--label-column",
      paramLabel = "NAME",
      description = "0/1 column marking anomalous rows (skab protocol).")
  String labelColumn;

  @Option(
      names = "--train-rows",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Rows at the start of each file to train on; with --model, rows skipped before testing.")
  int trainRows;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Score every file with this trained model instead of training one per file.")
  Path fixedModel;

  @Option(
      names = "--exclude",
      split = ",",
      paramLabel = "a,b",
      defaultValue = "changepoint",
      description =
          "Numeric columns that are not features besides the label (default: ${DEFAULT-VALUE}, SKAB's second label; "
              + "use --exclude='' for none).")
  List<String> exclude;

  @Mixin CsvInput csv;

  @Mixin ModelOptions model;

  @Option(
      names = "--precision",
      defaultValue = "fp32",
      paramLabel = "P",
      description = "fp32, int8 or fp16w (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(
      names = "--out",
      defaultValue = "evaluation",
      paramLabel = "DIR",
      description =
          "Where plots, the summary and the per-file models go (default: ./${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    if (protocol.equals("tep")) {
      return tep(o);
    }
    if (protocol.equals("univariate")) {
      return univariate(o);
    }
    if (!protocol.equals("skab")) {
      throw new UserError("--protocol must be skab, tep or univariate, got '" + protocol + "'");
    }
    if (labelColumn == null) {
      throw new UserError(
          "--label-column NAME is needed with --protocol skab: the 0/1 column marking anomalous rows");
    }
    if (fixedModel == null && trainRows < 1) {
      throw new UserError(
          "--train-rows N is needed to train a model per file (or give --model DIR)");
    }
    if (trainRows < 0) {
      throw new UserError("--train-rows must not be negative, got " + trainRows);
    }
    if (!Files.isDirectory(data)) {
      throw new UserError("no such directory: " + data);
    }
    List<Path> files = labelledCsvFiles();
    if (files.isEmpty()) {
      throw new UserError("no CSV file under " + data + " has a column '" + labelColumn + "'");
    }
    Precision p = Precision.parse(precision);
    List<String> excluded = exclude.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (fixedModel != null) {
      // a wrong --model fails here, named, before any file is read
      ModelRef.parse(fixedModel.toString(), p, "--model").readCard();
      o.printf(
          "evaluating %d files under %s with the model in %s (%s), from row %d%n",
          files.size(), data, fixedModel, p.id(), trainRows);
    } else {
      o.printf(
          "evaluating %d files under %s: train on the first %d rows, window %d, %s%n",
          files.size(), data, trainRows, model.window, p.id());
    }
    o.flush();

    ModelRecipe recipe = model.recipe(p);
    Backtest backtest =
        new Backtest(
            csv::builder,
            recipe::build,
            recipe.precision(),
            labelColumn,
            excluded,
            trainRows,
            out,
            EvaluationPlot::backtest);
    if (fixedModel != null) {
      backtest = backtest.withModel(fixedModel);
    }
    List<FileResult> results = new ArrayList<>();
    int i = 0;
    for (Path f : files) {
      i++;
      FileResult r = backtest.run(f, data.relativize(f).toString());
      results.add(r);
      DetectionMetrics m = r.metrics();
      o.printf(
          Locale.ROOT,
          "[%d/%d] %-20s F1 %.3f  FAR %5.1f%%  MAR %5.1f%%  AUC %.3f  (%d test rows, %.1f s)%n",
          i,
          files.size(),
          r.name(),
          m.f1(),
          m.farPercent(),
          m.marPercent(),
          r.auc(),
          m.total(),
          r.seconds());
      o.flush();
    }
    Summary s = Summary.of(results);
    s.write(out, this);
    o.printf(
        Locale.ROOT,
        "%nall %d files, %d test rows: F1 %.3f  FAR %.1f%%  MAR %.1f%%  ROC-AUC %.3f (pooled), %.3f (mean per file)%n",
        results.size(),
        s.total().total(),
        s.total().f1(),
        s.total().farPercent(),
        s.total().marPercent(),
        s.pooledAuc(),
        s.meanAuc());
    o.printf("precision by severity band: %s%n", s.bands().describe());
    o.printf("summary: %s, plots: %s%n", out.resolve("summary.md"), out.resolve("plots"));
    return 0;
  }

  /**
   * The Tennessee Eastman protocol: one model fitted on d00.dat, every dk_te.dat scored with it.
   */
  private int tep(PrintWriter o) {
    for (String unused : List.of("--label-column", "--train-rows", "--model")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(unused)) {
        throw new UserError(
            unused
                + " is not used with --protocol tep (it fits one model on "
                + TepData.TRAIN_FILE
                + ")");
      }
    }
    Precision p = Precision.parse(precision);
    o.printf(
        "TEP protocol on %s: fit on %s, window %d, %s%n",
        data, TepData.TRAIN_FILE, model.window, p.id());
    o.flush();
    TepProtocol tep = new TepProtocol(model.recipe(p), out);
    TepProtocol.Outcome outcome = tep.run(data, o);
    TepSummary.write(out, outcome, commandLine());
    o.printf(Locale.ROOT, "%n%s%n", outcome.result().headline());
    o.printf(
        "precision by severity band (samples after a fault starts count as anomalous): %s%n",
        outcome.bands().describe());
    o.printf(
        Locale.ROOT,
        "summary: %s, chart: %s, model: %s (%.1f s)%n",
        out.resolve("summary.md"),
        out.resolve(TepSummary.CHART),
        tep.modelDir(),
        outcome.seconds());
    return 0;
  }

  /**
   * The univariate protocol: one model fitted on --train FILE, every labelled CSV under --data
   * scored with it (synth --univariate files: timestamp, entity, value, anomaly, kind).
   */
  private int univariate(PrintWriter o) {
    for (String unused : List.of("--train-rows", "--model")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(unused)) {
        throw new UserError(
            unused + " is not used with --protocol univariate (it fits one model on --train FILE)");
      }
    }
    if (trainFile == null) {
      throw new UserError(
          "--train FILE is needed with --protocol univariate: the clean CSV to fit the model on");
    }
    if (!Files.isRegularFile(trainFile)) {
      throw new UserError("no such file: " + trainFile);
    }
    if (labelColumn == null) {
      labelColumn = "anomaly";
    }
    if (!Files.isDirectory(data)) {
      throw new UserError("no such directory: " + data);
    }
    Path train = trainFile.toAbsolutePath().normalize();
    List<Path> files =
        labelledCsvFiles().stream()
            .filter(f -> !f.toAbsolutePath().normalize().equals(train))
            .toList();
    if (files.isEmpty()) {
      throw new UserError(
          "no CSV file under " + data + " (besides --train) has a column '" + labelColumn + "'");
    }
    Precision p = Precision.parse(precision);
    List<String> excluded = exclude.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    o.printf(
        "univariate protocol: fit on %s, score %d files under %s, window %d, %s%n",
        trainFile, files.size(), data, model.window, p.id());
    o.flush();
    UnivariateProtocol uni =
        new UnivariateProtocol(csv::builder, model.recipe(p), labelColumn, excluded, out);
    UnivariateProtocol.Outcome outcome = uni.run(trainFile, files, data, o);
    UnivariateProtocol.writeSummary(out, outcome, commandLine());
    o.printf(Locale.ROOT, "%n%s%n", outcome.result().headline());
    for (String line : outcome.result().kindLines()) {
      o.printf("  %s%n", line);
    }
    o.printf("precision by severity band: %s%n", outcome.result().bands().describe());
    o.printf(
        Locale.ROOT,
        "summary: %s, plots: %s, model: %s (%.1f s)%n",
        out.resolve("summary.md"),
        uni.plotDir(),
        uni.modelDir(),
        outcome.seconds());
    return 0;
  }

  /** CSV files under --data (sorted by path) whose header names the label column. */
  private List<Path> labelledCsvFiles() {
    try (Stream<Path> walk = Files.walk(data)) {
      return walk.filter(f -> f.toString().endsWith(".csv") && Files.isRegularFile(f))
          .filter(f -> !f.startsWith(out))
          .sorted()
          .filter(
              f -> {
                char d = csv.delimiter(f);
                for (String c :
                    CsvInput.header(f).split(java.util.regex.Pattern.quote(String.valueOf(d)))) {
                  if (c.trim().equals(labelColumn)) {
                    return true;
                  }
                }
                return false;
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + data + ": " + e.getMessage(), e);
    }
  }

  String commandLine() {
    return "vaeguard " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }

  /** Pooled results over all files. */
  record Summary(
      List<FileResult> files,
      DetectionMetrics total,
      double pooledAuc,
      double meanAuc,
      io.vaeguard.model.eval.BandPrecision bands) {

    static Summary of(List<FileResult> results) {
      DetectionMetrics total = DetectionMetrics.EMPTY;
      io.vaeguard.model.eval.BandPrecision bands = io.vaeguard.model.eval.BandPrecision.EMPTY;
      List<double[]> scores = new ArrayList<>();
      List<int[]> labels = new ArrayList<>();
      double aucSum = 0;
      int aucCount = 0;
      for (FileResult r : results) {
        total = total.plus(r.metrics());
        bands = bands.plus(r.bands());
        scores.add(r.testScores());
        labels.add(r.testLabels());
        if (!Double.isNaN(r.auc())) {
          aucSum += r.auc();
          aucCount++;
        }
      }
      return new Summary(
          results,
          total,
          RocAuc.pooled(scores, labels),
          aucCount == 0 ? Double.NaN : aucSum / aucCount,
          bands);
    }

    void write(Path out, EvaluateCommand cmd) {
      StringBuilder md = new StringBuilder();
      StringBuilder tsv =
          new StringBuilder(
              "file,test_rows,anomalous,f1,far_percent,mar_percent,roc_auc,epochs,seconds\n");
      md.append("# Evaluation\n\n`")
          .append(cmd.commandLine())
          .append("`\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "All files pooled: **F1 %.3f, FAR %.1f%%, MAR %.1f%%, ROC-AUC %.3f** (mean per file %.3f) over %d test rows.%n%n",
                  total.f1(),
                  total.farPercent(),
                  total.marPercent(),
                  pooledAuc,
                  meanAuc,
                  total.total()))
          .append("Precision of the anomalous rows by severity band (pooled): ")
          .append(bands.describe())
          .append(".\n\n")
          .append(
              "| file | test rows | anomalous | F1 | FAR % | MAR % | ROC-AUC | epochs | seconds |\n")
          .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (FileResult r : files) {
        DetectionMetrics m = r.metrics();
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %.3f | %.1f | %.1f | %.3f | %d | %.1f |%n",
                r.name(),
                m.total(),
                m.tp() + m.fn(),
                m.f1(),
                m.farPercent(),
                m.marPercent(),
                r.auc(),
                r.epochs(),
                r.seconds()));
        tsv.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%d,%.4f,%.2f,%.2f,%.4f,%d,%.2f%n",
                r.name(),
                m.total(),
                m.tp() + m.fn(),
                m.f1(),
                m.farPercent(),
                m.marPercent(),
                r.auc(),
                r.epochs(),
                r.seconds()));
      }
      try {
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.md"), md);
        Files.writeString(out.resolve("summary.csv"), tsv);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write the summary to " + out + ": " + e.getMessage(), e);
      }
    }
  }
}
