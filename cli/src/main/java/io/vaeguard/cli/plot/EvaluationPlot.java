package io.vaeguard.cli.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG for {@code vaeguard evaluate}: the input signals on top, the score below, both over the
 * row index, with labelled anomalies shaded in both and alerts marked on the score.
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
  public static void write(Path png, String title, List<String> signalNames, double[][] signals, double[] score,
      double threshold, int[] labels, boolean[] alerts) throws IOException {
    int n = score.length;
    check(n > 0, "nothing to plot: no rows");
    check(signals.length == n, signals.length + " signal rows but " + n + " scores");
    check(signalNames.size() <= MAX_SIGNALS,
        signalNames.size() + " signals; plot at most " + MAX_SIGNALS + " (choose the ones to show)");
    for (int i = 0; i < n; i++) {
      check(signals[i].length == signalNames.size(),
          "signal row " + i + " has " + signals[i].length + " values for " + signalNames.size() + " names");
    }
    check(labels == null || labels.length == n, (labels == null ? 0 : labels.length) + " labels but " + n + " scores");
    check(alerts == null || alerts.length == n, (alerts == null ? 0 : alerts.length) + " alerts but " + n + " scores");

    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    BufferedImage image = new PanelStack(WIDTH)
        .add(SIGNAL_HEIGHT, w -> SignalPanel.build(w, SIGNAL_HEIGHT, title, x, signalNames, signals, labels))
        .add(HEIGHT - SIGNAL_HEIGHT, w -> ScorePanel.build(w, HEIGHT - SIGNAL_HEIGHT, x, score, threshold, labels, alerts))
        .render();
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("no PNG writer in this JVM for " + png);
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
