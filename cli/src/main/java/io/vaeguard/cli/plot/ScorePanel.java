package io.vaeguard.cli.plot;

import java.util.Arrays;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The bottom panel: the anomaly score, the alert threshold, labelled regions shaded and alerts as
 * markers on the score line.
 */
final class ScorePanel {

  private ScorePanel() {}

  static XYChart build(
      int width,
      int height,
      double[] x,
      double[] score,
      double threshold,
      int[] labels,
      boolean[] alerts) {
    XYChart chart = PlotStyle.chart(width, height, null);
    double[] range = yRange(score, threshold);
    double bottom = range[0];
    double top = range[1];
    double[] shown = clip(score, top);
    boolean clipped = !Arrays.equals(shown, score);
    chart.setXAxisTitle("row");
    chart.setYAxisTitle(
        clipped ? String.format(Locale.ROOT, "score (clipped at %.3g)", top) : "score");
    // XChart's default pattern prints 0.08 as .08 and tiny scores as 0
    chart
        .getStyler()
        .setYAxisDecimalPattern(
            Math.max(Math.abs(bottom), Math.abs(top)) < 0.01 ? "0.##E0" : "0.###");
    chart.getStyler().setYAxisMin(bottom);
    chart.getStyler().setYAxisMax(top);
    chart.getStyler().setXAxisMin(x[0]);
    chart.getStyler().setXAxisMax(x[x.length - 1]);
    if (labels != null) {
      PlotStyle.shadeLabels(chart, x, labels, bottom, top, true);
    }
    PlotStyle.line(chart.addSeries("score", x, shown), PlotStyle.SCORE, 1.2f);
    if (Double.isFinite(threshold)) {
      XYSeries t =
          chart.addSeries(
              String.format(Locale.ROOT, "threshold %.3g", threshold),
              new double[] {x[0], x[x.length - 1]},
              new double[] {threshold, threshold});
      PlotStyle.line(t, PlotStyle.THRESHOLD, 2f);
    }
    if (alerts != null) {
      addAlerts(chart, x, shown, alerts);
    }
    return chart;
  }

  private static void addAlerts(XYChart chart, double[] x, double[] shown, boolean[] alerts) {
    int n = 0;
    for (boolean a : alerts) {
      n += a ? 1 : 0;
    }
    if (n == 0) {
      return; // XChart refuses a series without points
    }
    double[] ax = new double[n];
    double[] ay = new double[n];
    int k = 0;
    for (int i = 0; i < alerts.length; i++) {
      if (alerts[i]) {
        ax[k] = x[i];
        ay[k++] = shown[i];
      }
    }
    XYSeries s = chart.addSeries("alert (" + n + ")", ax, ay);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.DIAMOND);
    s.setMarkerColor(PlotStyle.ALERT);
  }

  /**
   * From the lowest score (or 0) to a top that keeps the threshold and the bulk of the scores in
   * view: a few huge scores would otherwise squash everything else, threshold included, onto the
   * bottom line. Scores above the top are drawn at the top and the axis title says so.
   */
  static double[] yRange(double[] score, double threshold) {
    double[] sorted = Arrays.stream(score).filter(Double::isFinite).sorted().toArray();
    if (sorted.length == 0) {
      return new double[] {0, 1};
    }
    double min = Math.min(0, sorted[0]);
    double max = sorted[sorted.length - 1];
    double bulk = sorted[(int) Math.floor(0.995 * (sorted.length - 1))];
    double keep = Double.isFinite(threshold) ? Math.max(bulk, threshold) : bulk;
    // measured from the bottom, so negative scores (log-likelihoods, say) clip the same way
    double top = max - min > 3 * (keep - min) && keep > min ? min + 1.5 * (keep - min) : max;
    if (Double.isFinite(threshold)) {
      top = Math.max(top, threshold);
    }
    top += 0.05 * (top - min);
    if (!(top > min)) {
      top = min + 1;
    }
    return new double[] {min, top};
  }

  private static double[] clip(double[] score, double top) {
    double[] out = new double[score.length];
    for (int i = 0; i < score.length; i++) {
      out[i] = Double.isFinite(score[i]) ? Math.min(score[i], top) : Double.NaN;
    }
    return out;
  }
}
