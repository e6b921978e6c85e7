package io.vaeguard.cli.offline;

import io.vaeguard.cli.plot.EvaluationPlot;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.offline.RowScores;
import io.vaeguard.model.offline.TableScorer;
import io.vaeguard.model.offline.Tables;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The univariate protocol, for files written by {@code synth --univariate} (columns {@code
 * timestamp,entity,value,anomaly,kind}): fit ONE model on a clean training file with the same
 * builder and settings as a {@link io.vaeguard.model.offline.Backtest} fits per file, then score
 * every labelled test file causally from its first row, per entity in file order, and work out the
 * {@link UnivariateResult} over all test files together.
 */
public final class UnivariateProtocol {

  /** The column naming each row's kind ({@code level-shift}, {@code spike}, ...). */
  public static final String KIND_COLUMN = "kind";

  private final Function<Path, CsvOptions.Builder> csv;
  private final ModelRecipe recipe;
  private final String labelColumn;
  private final List<String> exclude;
  private final Path out;

  /**
   * What a run produced.
   *
   * @param result the figures pooled over all test files
   * @param files one line per test file
   */
  public record Outcome(
      UnivariateResult result,
      List<FileLine> files,
      ModelCard card,
      String trainFile,
      int trainRows,
      int epochs,
      double trainSeconds,
      double seconds) {

    public Outcome {
      files = List.copyOf(files);
    }
  }

  /** One test file's figures. */
  public record FileLine(String name, int rows, UnivariateResult result, double seconds) {}

  /**
   * @param csv how to read a file (delimiter, time and entity columns)
   * @param exclude numeric columns that are not features besides the label column; names a file
   *     does not have are ignored
   */
  public UnivariateProtocol(
      Function<Path, CsvOptions.Builder> csv,
      ModelRecipe recipe,
      String labelColumn,
      List<String> exclude,
      Path out) {
    this.csv = csv;
    this.recipe = recipe;
    this.labelColumn = labelColumn;
    this.exclude = List.copyOf(exclude);
    this.out = out;
  }

  /** Where the model fitted on the training file goes. */
  public Path modelDir() {
    return out.resolve("model");
  }

  /** Where the plots of the first test file go, one per entity. */
  public Path plotDir() {
    return out.resolve("plots");
  }

  /**
   * Fits on {@code trainFile}, scores each of {@code testFiles} (named relative to {@code root}),
   * printing a line per step to {@code progress}.
   */
  public Outcome run(Path trainFile, List<Path> testFiles, Path root, PrintWriter progress) {
    if (testFiles.isEmpty()) {
      throw new IllegalArgumentException("no test file to score");
    }
    long start = System.nanoTime();
    CsvOptions.Builder tb = csv.apply(trainFile);
    List<String> notFeatures = new ArrayList<>();
    notFeatures.add(labelColumn);
    notFeatures.addAll(exclude);
    List<String> present =
        notFeatures.stream().distinct().filter(c -> hasColumn(trainFile, c)).toList();
    if (!present.isEmpty()) {
      tb.exclude(present);
    }
    CsvTable trainTable = CsvTable.read(trainFile, tb.build());
    int epochs =
        recipe.build(
            "univariate",
            trainFile.getFileName() + " (" + trainTable.rows() + " rows)",
            trainTable.features(),
            Tables.segments(trainTable),
            modelDir());
    double trainSeconds = (System.nanoTime() - start) / 1e9;
    progress.printf(
        Locale.ROOT,
        "fitted on %s: %d rows, features %s, %d epochs, %.1f s%n",
        trainFile,
        trainTable.rows(),
        trainTable.features(),
        epochs,
        trainSeconds);
    progress.flush();

    UnivariateResult total = UnivariateResult.EMPTY;
    List<FileLine> lines = new ArrayList<>();
    ModelCard card;
    try (VaeScorer scorer =
        VaeScorer.open(modelDir(), recipe.precision(), ScorerOptions.defaults())) {
      card = scorer.card();
      int i = 0;
      for (Path f : testFiles) {
        long fileStart = System.nanoTime();
        String name = root.relativize(f).toString();
        CsvTable table =
            CsvTable.read(
                f, csv.apply(f).labelColumn(labelColumn).features(card.features()).build());
        String[] kinds = kinds(f, table.rows());
        RowScores s =
            TableScorer.score(
                scorer,
                Detector.of(card),
                table.values(),
                table.entities(),
                Tables.eventTimes(table));
        boolean[] flagged = TepResult.decisions(s);
        UnivariateResult r =
            UnivariateResult.of(flagged, table.labels(), kinds, table.entities(), s.severity());
        total = total.plus(r);
        if (i == 0) {
          plot(name, table, s, flagged, card);
        }
        double seconds = (System.nanoTime() - fileStart) / 1e9;
        lines.add(new FileLine(name, table.rows(), r, seconds));
        i++;
        progress.printf(
            Locale.ROOT,
            "[%d/%d] %-20s %d rows: precision %.3f recall %.3f F1 %.3f, false alarms %.2f%%, %d level shifts "
                + "(%.1f s)%n",
            i,
            testFiles.size(),
            name,
            table.rows(),
            r.metrics().precision(),
            r.metrics().recall(),
            r.metrics().f1(),
            r.normal().percent(),
            r.shifts().size(),
            seconds);
        progress.flush();
      }
    }
    return new Outcome(
        total,
        lines,
        card,
        trainFile.toString(),
        trainTable.rows(),
        epochs,
        trainSeconds,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * The kind column's text per row, read with the table's own reader (as its time column, beside
   * the label as the one feature), so the rows line up with the table's.
   */
  private String[] kinds(Path file, int rows) {
    if (!hasColumn(file, KIND_COLUMN)) {
      throw new IllegalArgumentException(
          file
              + " has no column '"
              + KIND_COLUMN
              + "': the univariate protocol needs the rows' kinds (as synth --univariate writes them)");
    }
    char d = csv.apply(file).build().delimiter();
    CsvTable k =
        CsvTable.read(
            file,
            CsvOptions.builder()
                .delimiter(d)
                .timeColumn(KIND_COLUMN)
                .features(List.of(labelColumn))
                .build());
    if (k.rows() != rows) {
      throw new IllegalStateException(file + ": " + k.rows() + " kinds for " + rows + " rows");
    }
    return k.times();
  }

  /**
   * One PNG per entity: the value, the smoothed statistic against the threshold, labels and alerts.
   */
  private void plot(String name, CsvTable table, RowScores s, boolean[] flagged, ModelCard card) {
    String slug = name.replaceAll("\\.csv$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    double threshold = card.calibration().rawAt(card.threshold());
    List<String> shown =
        table.features().subList(0, Math.min(EvaluationPlot.MAX_SIGNALS, table.width()));
    for (int[] idx : TableScorer.groupByEntity(table.rows(), table.entities())) {
      double[][] signals = new double[idx.length][];
      double[] smoothed = new double[idx.length];
      int[] labels = new int[idx.length];
      boolean[] alerts = new boolean[idx.length];
      for (int i = 0; i < idx.length; i++) {
        double[] v = table.values()[idx[i]];
        signals[i] = v.length == shown.size() ? v : Arrays.copyOf(v, shown.size());
        smoothed[i] = s.smoothed()[idx[i]];
        labels[i] = table.labels()[idx[i]];
        alerts[i] = flagged[idx[i]];
      }
      String entity = table.entities() == null ? "all" : table.entities()[idx[0]];
      Path png =
          plotDir().resolve(slug).resolve(entity.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
      try {
        EvaluationPlot.write(
            png, name + " - " + entity, shown, signals, smoothed, threshold, labels, alerts);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the plot " + png + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Writes {@code summary.md} and {@code summary.csv} into {@code out}; {@code commandLine} is
   * quoted at the top.
   */
  public static void writeSummary(Path out, Outcome o, String commandLine) {
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("summary.md"), markdown(o, commandLine));
      Files.writeString(out.resolve("summary.csv"), csv(o.result()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the summary to " + out + ": " + e.getMessage(), e);
    }
  }

  /** What the figures mean, in one paragraph: the protocol they follow. */
  static String protocol(int window, int afterShift) {
    return String.format(
        Locale.ROOT,
        "Protocol: one model fitted on the training file only; every test file scored causally from its first row, "
            + "per entity in file order (window %d); a row without a full window counts as not flagged. Figures pool "
            + "all test files. False alarms: share of normal rows (label 0, level shifts included) flagged, and the "
            + "same without the normal rows among the first %d rows of each level shift (its row on). Recall per kind: "
            + "share of its rows flagged, and share of its spans with at least one flagged row. Settling time of a "
            + "level shift: rows from the shift through the last flagged row before the entity's next level shift or "
            + "anomaly (0 if none is flagged), median and p90 by nearest rank; never settled: that stretch's last "
            + "row still flagged.",
        window,
        afterShift);
  }

  static String markdown(Outcome o, String commandLine) {
    UnivariateResult r = o.result();
    StringBuilder md = new StringBuilder("# Evaluation: univariate series\n\n");
    md.append('`').append(commandLine).append("`\n\n");
    md.append(protocol(o.card().window(), r.afterShift())).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Model: fitted on %s (%d rows), %s, features %s, window %d, %d epochs "
                + "(%.1f s to fit); threshold %.6f: %s; persistence %d. Total %.1f s.%n%n",
            o.trainFile(),
            o.trainRows(),
            o.card().precision(),
            o.card().features(),
            o.card().window(),
            o.epochs(),
            o.trainSeconds(),
            o.card().threshold(),
            o.card().thresholdRule(),
            o.card().persistence(),
            o.seconds()));
    md.append("**").append(r.headline()).append("**\n\n");
    md.append("Precision of the anomalous rows by severity band: ")
        .append(r.bands().describe())
        .append(".\n\n");
    md.append("| kind | rows | flagged | row recall % | spans | with an alert | span recall % |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    List<UnivariateResult.KindRecall> rows = new ArrayList<>(r.kinds());
    rows.add(r.allAnomalies());
    for (UnivariateResult.KindRecall k : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.1f | %d | %d | %.1f |%n",
              k.kind(),
              k.rows().rows(),
              k.rows().flagged(),
              k.rows().percent(),
              k.spans().rows(),
              k.spans().flagged(),
              k.spans().percent()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nFalse alarms: %d of %d normal rows (%.2f%%); outside the first %d rows of "
                + "each level shift %d of %d (%.2f%%).%n%n",
            r.normal().flagged(),
            r.normal().rows(),
            r.normal().percent(),
            r.afterShift(),
            r.normalOutsideShifts().flagged(),
            r.normalOutsideShifts().rows(),
            r.normalOutsideShifts().percent()));
    if (!r.shifts().isEmpty()) {
      md.append(
          String.format(
              Locale.ROOT,
              "Level shifts: %d; rows until the alerts stop: median %d, p90 %d, max %d; "
                  + "never settled %d.%n%n",
              r.shifts().size(),
              r.settlingMedian(),
              r.settlingP90(),
              r.settlingMax(),
              r.neverSettled()));
    }
    md.append(
        "| file | rows | precision | recall | F1 | false alarms % | level shifts | seconds |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (FileLine f : o.files()) {
      UnivariateResult fr = f.result();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.3f | %.3f | %.3f | %.2f | %d | %.1f |%n",
              f.name(),
              f.rows(),
              fr.metrics().precision(),
              fr.metrics().recall(),
              fr.metrics().f1(),
              fr.normal().percent(),
              fr.shifts().size(),
              f.seconds()));
    }
    return md.toString();
  }

  /** One line per anomaly kind, then the line of all anomalies together. */
  static String csv(UnivariateResult r) {
    StringBuilder csv =
        new StringBuilder(
            "kind,rows,rows_flagged,row_recall_percent,spans,spans_flagged,span_recall_percent\n");
    List<UnivariateResult.KindRecall> rows = new ArrayList<>(r.kinds());
    rows.add(r.allAnomalies());
    for (UnivariateResult.KindRecall k : rows) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%d,%d,%.2f,%d,%d,%.2f%n",
              k.kind(),
              k.rows().rows(),
              k.rows().flagged(),
              k.rows().percent(),
              k.spans().rows(),
              k.spans().flagged(),
              k.spans().percent()));
    }
    return csv.toString();
  }

  private static boolean hasColumn(Path file, String column) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      return header != null
          && Arrays.stream(header.replace("\uFEFF", "").split("[;,\t]"))
              .map(c -> c.trim().replace("\"", ""))
              .anyMatch(c -> c.equals(column));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
