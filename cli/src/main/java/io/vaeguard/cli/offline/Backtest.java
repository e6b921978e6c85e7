package io.vaeguard.cli.offline;

import io.vaeguard.model.offline.RowScores;
import io.vaeguard.model.offline.TableScorer;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.eval.DetectionMetrics;
import io.vaeguard.model.eval.RocAuc;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.cli.plot.EvaluationPlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One file of a backtest: train on its first rows, score all rows causally, and compare the test
 * rows' alerts with their labels. Models and plots are kept under the output directory.
 */
public final class Backtest {

  private final Function<Path, CsvOptions.Builder> csv;
  private final ModelRecipe recipe;
  private final String labelColumn;
  private final List<String> exclude;
  private final int trainRows;
  private final Path out;
  private final Path fixedModel;

  /** A backtest that scores every file with one trained model instead of training per file. */
  public Backtest withModel(Path modelDir) {
    return new Backtest(csv, recipe, labelColumn, exclude, trainRows, out, modelDir);
  }

  public Backtest(Function<Path, CsvOptions.Builder> csv, ModelRecipe recipe, String labelColumn, List<String> exclude,
      int trainRows, Path out) {
    this(csv, recipe, labelColumn, exclude, trainRows, out, null);
  }

  private Backtest(Function<Path, CsvOptions.Builder> csv, ModelRecipe recipe, String labelColumn, List<String> exclude,
      int trainRows, Path out, Path fixedModel) {
    this.csv = csv;
    this.recipe = recipe;
    this.labelColumn = labelColumn;
    this.exclude = List.copyOf(exclude);
    this.trainRows = trainRows;
    this.out = out;
    this.fixedModel = fixedModel;
  }

  /** Plots the given rows (all when null): at most MAX_SIGNALS feature lanes, the raw score, labels, alerts. */
  private static void plot(Path png, String title, CsvTable table, int[] rows, RowScores s, double threshold) {
    int[] idx = rows != null ? rows : java.util.stream.IntStream.range(0, table.rows()).toArray();
    List<String> shown = table.features().subList(0, Math.min(EvaluationPlot.MAX_SIGNALS, table.width()));
    double[][] signals = new double[idx.length][];
    double[] raw = new double[idx.length];
    int[] labels = new int[idx.length];
    boolean[] alerts = new boolean[idx.length];
    for (int i = 0; i < idx.length; i++) {
      double[] v = table.values()[idx[i]];
      signals[i] = v.length == shown.size() ? v : Arrays.copyOf(v, shown.size());
      raw[i] = s.smoothed()[idx[i]];
      labels[i] = table.labels()[idx[i]];
      alerts[i] = s.alert()[idx[i]];
    }
    try {
      EvaluationPlot.write(png, title, shown, signals, raw, threshold, labels, alerts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plot " + png + ": " + e.getMessage(), e);
    }
  }

  /**
   * The detector's threshold in units of the statistic it watches: the plot shows that statistic
   * (smoothed), which reads better than calibrated scores crowding just below 1.
   */
  private static double rawThreshold(ModelCard card) {
    return card.calibration().rawAt(card.threshold());
  }

  private static boolean hasColumn(Path file, String column) {
    try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(file)) {
      String header = r.readLine();
      return header != null && java.util.Arrays.stream(header.split("[;,\t]")).anyMatch(c -> c.trim().equals(column));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public FileResult run(Path file, String name) {
    long start = System.nanoTime();
    CsvOptions.Builder b = csv.apply(file).labelColumn(labelColumn);
    if (fixedModel != null) {
      try (VaeScorer scorer = VaeScorer.open(fixedModel, recipe.precision(), ScorerOptions.defaults())) {
        b.features(scorer.card().features());
      }
    }
    // --exclude names columns of some files (SKAB's changepoint); a file without them is fine.
    List<String> present = exclude.stream().filter(c -> hasColumn(file, c)).toList();
    if (!present.isEmpty() && fixedModel == null) {
      b.exclude(present);
    }
    CsvTable table = CsvTable.read(file, b.build());
    int n = table.rows();
    if (n <= trainRows) {
      throw new IllegalArgumentException(file + " has " + n + " data rows: --train-rows " + trainRows
          + " leaves none to test");
    }
    String slug = name.replaceAll("\\.csv$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    Path modelDir = fixedModel;
    int epochs = 0;
    if (modelDir == null) {
      modelDir = out.resolve("models").resolve(slug);
      epochs = recipe.build(slug, name + " rows 0:" + trainRows, table.features(), Tables.segments(table, trainRows),
          modelDir);
    }

    RowScores s;
    ModelCard card;
    try (VaeScorer scorer = VaeScorer.open(modelDir, recipe.precision(), ScorerOptions.defaults())) {
      card = scorer.card();
      s = TableScorer.score(scorer, io.vaeguard.model.detect.Detector.of(card), table.values(), table.entities(),
          Tables.eventTimes(table));
    }
    int[] labels = Arrays.copyOfRange(table.labels(), trainRows, n);
    boolean[] alerts = Arrays.copyOfRange(s.alert(), trainRows, n);
    double[] scores = Arrays.copyOfRange(s.score(), trainRows, n);
    DetectionMetrics m = DetectionMetrics.of(labels, alerts);
    double auc = RocAuc.compute(scores, labels);

    String how = fixedModel == null ? "trained on rows 0-" + (trainRows - 1) : "model " + card.name() + " " + card.version();
    String title = String.format(Locale.ROOT, "%s: F1 %.2f, FAR %.1f%%, MAR %.1f%%, AUC %.2f (%s)", name, m.f1(),
        m.farPercent(), m.marPercent(), auc, how);
    double threshold = rawThreshold(card);
    if (table.entities() == null) {
      plot(out.resolve("plots").resolve(slug + ".png"), title, table, null, s, threshold);
    } else {
      // Interleaved entities make one unreadable plot: one per entity instead, in a folder per file.
      for (int[] rows : TableScorer.groupByEntity(n, table.entities())) {
        String entity = table.entities()[rows[0]];
        plot(out.resolve("plots").resolve(slug).resolve(entity.replaceAll("[^A-Za-z0-9._-]", "_") + ".png"),
            title + " - " + entity, table, rows, s, threshold);
      }
    }
    int[] severities = Arrays.copyOfRange(s.severity(), trainRows, n);
    return new FileResult(name, m, auc, scores, labels, epochs,
        (System.nanoTime() - start) / 1e9, io.vaeguard.model.eval.BandPrecision.of(severities, labels));
  }
}
