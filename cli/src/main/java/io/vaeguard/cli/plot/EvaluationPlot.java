package io.vaeguard.cli.plot;

import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.offline.Backtest;
import io.vaeguard.model.offline.RowScores;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG for {@code vaeguard evaluate}: the input signals on top, the score below, both over the row
 * index, with labelled anomalies shaded in both and alerts marked on the score.
 */
public final class EvaluationPlot {

  public static final int WIDTH = 1400;
  public static final int HEIGHT = 900;

  /** Lanes beyond this stop being readable at 1400x900; pick the signals to show. */
  public static final int MAX_SIGNALS = 8;

  private static final int SIGNAL_HEIGHT = 540;

  static {
    // the CLI never opens a window; without this, AWT needs a display on some JDKs
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private EvaluationPlot() {}

  /**
   * Writes a {@value #WIDTH}x{@value #HEIGHT} PNG.
   *
   * @param png where to write it
   * @param title chart title
   * @param signalNames one name per signal column
   * @param signals rows x signals (at most {@value #MAX_SIGNALS} columns); each column is min-max
   *     scaled into its own lane, so units do not matter
   * @param score one score per row (higher = more anomalous)
   * @param threshold drawn as a horizontal line; NaN for none
   * @param labels 0/1 per row, or null when unlabelled
   * @param alerts per row, or null for none
   */
  public static void write(
      Path png,
      String title,
      List<String> signalNames,
      double[][] signals,
      double[] score,
      double threshold,
      int[] labels,
      boolean[] alerts)
      throws IOException {
    int n = score.length;
    check(n > 0, "nothing to plot: no rows");
    check(signals.length == n, signals.length + " signal rows but " + n + " scores");
    check(
        signalNames.size() <= MAX_SIGNALS,
        signalNames.size()
            + " signals; plot at most "
            + MAX_SIGNALS
            + " (choose the ones to show)");
    for (int i = 0; i < n; i++) {
      check(
          signals[i].length == signalNames.size(),
          "signal row "
              + i
              + " has "
              + signals[i].length
              + " values for "
              + signalNames.size()
              + " names");
    }
    check(
        labels == null || labels.length == n,
        (labels == null ? 0 : labels.length) + " labels but " + n + " scores");
    check(
        alerts == null || alerts.length == n,
        (alerts == null ? 0 : alerts.length) + " alerts but " + n + " scores");

    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    BufferedImage image =
        new PanelStack(WIDTH)
            .add(
                SIGNAL_HEIGHT,
                w -> SignalPanel.build(w, SIGNAL_HEIGHT, title, x, signalNames, signals, labels))
            .add(
                HEIGHT - SIGNAL_HEIGHT,
                w ->
                    ScorePanel.build(
                        w, HEIGHT - SIGNAL_HEIGHT, x, score, threshold, labels, alerts))
            .render();
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("no PNG writer in this JVM for " + png);
    }
  }

  /**
   * A backtest's plot ({@link Backtest.Plotter}): the given rows of {@code table} (all when null),
   * at most {@value #MAX_SIGNALS} feature lanes, the smoothed statistic the detector watches, the
   * labels and the alerts.
   */
  public static void backtest(
      Path png, String title, CsvTable table, int[] rows, RowScores s, double threshold) {
    int[] idx = rows != null ? rows : Backtest.allRows(table.rows());
    List<String> shown = table.features().subList(0, Math.min(MAX_SIGNALS, table.width()));
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
      write(png, title, shown, signals, raw, threshold, labels, alerts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plot " + png + ": " + e.getMessage(), e);
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
