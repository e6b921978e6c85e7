package io.vaeguard.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Look shared by the stacked panels, so that their plot areas line up one above the other. */
final class PlotStyle {

  static final Color LABEL_FILL = new Color(230, 60, 60, 45);
  static final Color ALERT = new Color(200, 0, 0);
  static final Color THRESHOLD = new Color(255, 140, 0);
  static final Color SCORE = new Color(40, 80, 160);

  /** Plot border: a grey no series uses, so {@link PanelStack} can find it. */
  static final Color BORDER = new Color(110, 110, 110);

  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private PlotStyle() {}

  static XYChart chart(int width, int height, String title) {
    XYChart chart =
        new XYChartBuilder().width(width).height(height).title(title == null ? "" : title).build();
    Styler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(BORDER);
    styler.setPlotContentSize(0.98);
    // no axis line beside the plot border: the border must be the first tall grey line (PanelStack)
    chart.getStyler().setAxisTicksLineVisible(false);
    styler.setChartTitleVisible(title != null);
    styler.setChartPadding(8);
    styler.setAntiAlias(true);
    chart.getStyler().setAxisTickLabelsFont(TICK_FONT);
    chart.getStyler().setXAxisDecimalPattern("#"); // row 1000, not 1,000
    chart.getStyler().setXAxisTickMarkSpacingHint(90);
    chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setLegendBorderColor(Color.WHITE);
    return chart;
  }

  /**
   * Shades each run of rows labelled 1 from half a row before it to half a row after it, from
   * {@code bottom} to {@code top}. One polygon for all runs: it walks along the bottom edge between
   * runs (no area there), so a file with hundreds of anomalies is still one series. XChart's step
   * area would fill down to y = 0, not to the axis bottom.
   */
  static void shadeLabels(
      XYChart chart, double[] x, int[] labels, double bottom, double top, boolean inLegend) {
    List<Double> px = new ArrayList<>();
    List<Double> py = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 1 && (i == 0 || labels[i - 1] != 1)) {
        int end = i;
        while (end + 1 < labels.length && labels[end + 1] == 1) {
          end++;
        }
        double from = x[i] - 0.5;
        double to = x[end] + 0.5;
        px.addAll(List.of(from, from, to, to));
        py.addAll(List.of(bottom, top, top, bottom));
      }
    }
    if (px.isEmpty()) {
      return;
    }
    XYSeries s = chart.addSeries("labelled anomaly", px, py);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    s.setFillColor(LABEL_FILL);
    s.setLineColor(new Color(0, 0, 0, 0));
    s.setLineWidth(0.1f);
    s.setMarker(SeriesMarkers.NONE);
    s.setShowInLegend(inLegend);
  }

  static void line(XYSeries s, Color color, float width) {
    s.setLineColor(color);
    s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    s.setMarker(SeriesMarkers.NONE);
  }
}
