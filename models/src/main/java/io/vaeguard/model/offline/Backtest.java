package io.vaeguard.model.offline;

import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.eval.BandPrecision;
import io.vaeguard.model.eval.DetectionMetrics;
import io.vaeguard.model.eval.RocAuc;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * One file of a backtest ({@code vaeguard evaluate --protocol skab}): fit a model on its first rows
 * (or take one given model), score every row causally with the job's detector ({@link
 * TableScorer}), and compare the test rows' alerts with their labels. Models and plots are kept
 * under the output directory.
 *
 * <p>Fitting a model (training, in the {@code training} module) and drawing a chart (the CLI's) are
 * the caller's, passed in as a {@link ModelFitter} and a {@link Plotter}, so this module stays free
 * of DJL and of the charting library.
 */
public final class Backtest {

  /** Fits a model on the training rows of a file. */
  @FunctionalInterface
  public interface ModelFitter {
    /**
     * Fits a model on {@code segments} (one chronological segment per entity) into {@code dir}.
     *
     * @param name the model's name
     * @param source where the rows came from, for the card
     * @return the epochs run
     */
    int fit(String name, String source, List<String> features, List<double[][]> segments, Path dir);
  }

  /** Draws the rows of a file, or of one entity of it. */
  @FunctionalInterface
  public interface Plotter {
    /**
     * @param png where to write the chart
     * @param title its title
     * @param table the file
     * @param rows the rows to draw (indices into the table, in order); null for all rows
     * @param scores every row's scores and decisions
     * @param threshold the detector's threshold in units of {@link RowScores#smoothed()}
     */
    void plot(
        Path png, String title, CsvTable table, int[] rows, RowScores scores, double threshold);
  }

  /**
   * The backtest of one file: metrics over its test rows, and their scores and labels for pooled
   * ROC-AUC.
   *
   * @param epochs epochs the file's model was trained (0 with one given model)
   * @param seconds wall time of the file
   * @param bands precision by severity band over the test rows
   */
  public record FileResult(
      String name,
      DetectionMetrics metrics,
      double auc,
      double[] testScores,
      int[] testLabels,
      int epochs,
      double seconds,
      BandPrecision bands) {}

  private final Function<Path, CsvOptions.Builder> csv;
  private final ModelFitter fitter;
  private final Precision precision;
  private final String labelColumn;
  private final List<String> exclude;
  private final int trainRows;
  private final Path out;
  private final Plotter plotter;
  private final Path fixedModel;

  /**
   * @param csv how each file is read (separator, time and entity columns, ...)
   * @param fitter fits a model per file on its first {@code trainRows} rows
   * @param precision the ONNX variant the models are written in and scored with
   * @param labelColumn the 0/1 column marking anomalous rows
   * @param exclude columns to leave out of the features where a file has them
   * @param trainRows rows at the start of each file to fit on; the rest are the test rows
   * @param out where models ({@code models/}) and plots ({@code plots/}) go
   * @param plotter draws the plots; null for none
   */
  public Backtest(
      Function<Path, CsvOptions.Builder> csv,
      ModelFitter fitter,
      Precision precision,
      String labelColumn,
      List<String> exclude,
      int trainRows,
      Path out,
      Plotter plotter) {
    this(csv, fitter, precision, labelColumn, exclude, trainRows, out, plotter, null);
  }

  private Backtest(
      Function<Path, CsvOptions.Builder> csv,
      ModelFitter fitter,
      Precision precision,
      String labelColumn,
      List<String> exclude,
      int trainRows,
      Path out,
      Plotter plotter,
      Path fixedModel) {
    this.csv = Objects.requireNonNull(csv, "csv");
    this.fitter = fitter;
    this.precision = Objects.requireNonNull(precision, "precision");
    this.labelColumn = labelColumn;
    this.exclude = List.copyOf(exclude);
    this.trainRows = trainRows;
    this.out = out;
    this.plotter = plotter;
    this.fixedModel = fixedModel;
  }

  /** A backtest that scores every file with one trained model instead of training per file. */
  public Backtest withModel(Path modelDir) {
    return new Backtest(
        csv, fitter, precision, labelColumn, exclude, trainRows, out, plotter, modelDir);
  }

  /**
   * The detector's threshold in units of the statistic it watches: the plot shows that statistic
   * (smoothed), which reads better than calibrated scores crowding just below 1.
   */
  static double rawThreshold(ModelCard card) {
    return card.calibration().rawAt(card.threshold());
  }

  private static boolean hasColumn(Path file, String column) {
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String header = r.readLine();
      return header != null
          && Arrays.stream(header.split("[;,\t]")).anyMatch(c -> c.trim().equals(column));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Backtests one file.
   *
   * @param name the file's name in the results (its path under the data directory)
   * @throws IllegalArgumentException when the file has no rows after the training rows
   */
  public FileResult run(Path file, String name) {
    long start = System.nanoTime();
    CsvOptions.Builder b = csv.apply(file).labelColumn(labelColumn);
    if (fixedModel != null) {
      try (VaeScorer scorer = VaeScorer.open(fixedModel, precision, ScorerOptions.defaults())) {
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
      throw new IllegalArgumentException(
          file + " has " + n + " data rows: --train-rows " + trainRows + " leaves none to test");
    }
    String slug = name.replaceAll("\\.csv$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    Path modelDir = fixedModel;
    int epochs = 0;
    if (modelDir == null) {
      modelDir = out.resolve("models").resolve(slug);
      epochs =
          fitter.fit(
              slug,
              name + " rows 0:" + trainRows,
              table.features(),
              Tables.segments(table, trainRows),
              modelDir);
    }

    RowScores s;
    ModelCard card;
    try (VaeScorer scorer = VaeScorer.open(modelDir, precision, ScorerOptions.defaults())) {
      card = scorer.card();
      s =
          TableScorer.score(
              scorer,
              Detector.of(card),
              table.values(),
              table.entities(),
              Tables.eventTimes(table));
    }
    int[] labels = Arrays.copyOfRange(table.labels(), trainRows, n);
    boolean[] alerts = Arrays.copyOfRange(s.alert(), trainRows, n);
    double[] scores = Arrays.copyOfRange(s.score(), trainRows, n);
    DetectionMetrics m = DetectionMetrics.of(labels, alerts);
    double auc = RocAuc.compute(scores, labels);

    if (plotter != null) {
      String how =
          fixedModel == null
              ? "trained on rows 0-" + (trainRows - 1)
              : "model " + card.name() + " " + card.version();
      String title =
          String.format(
              Locale.ROOT,
              "%s: F1 %.2f, FAR %.1f%%, MAR %.1f%%, AUC %.2f (%s)",
              name,
              m.f1(),
              m.farPercent(),
              m.marPercent(),
              auc,
              how);
      double threshold = rawThreshold(card);
      if (table.entities() == null) {
        plotter.plot(out.resolve("plots").resolve(slug + ".png"), title, table, null, s, threshold);
      } else {
        // Interleaved entities make one unreadable plot: one per entity instead, in a folder per
        // file.
        for (int[] rows : TableScorer.groupByEntity(n, table.entities())) {
          String entity = table.entities()[rows[0]];
          plotter.plot(
              out.resolve("plots")
                  .resolve(slug)
                  .resolve(entity.replaceAll("[^A-Za-z0-9._-]", "_") + ".png"),
              title + " - " + entity,
              table,
              rows,
              s,
              threshold);
        }
      }
    }
    int[] severities = Arrays.copyOfRange(s.severity(), trainRows, n);
    return new FileResult(
        name,
        m,
        auc,
        scores,
        labels,
        epochs,
        (System.nanoTime() - start) / 1e9,
        BandPrecision.of(severities, labels));
  }

  /** All row indices of a table of {@code n} rows, for a plotter given null rows. */
  public static int[] allRows(int n) {
    return IntStream.range(0, n).toArray();
  }
}
