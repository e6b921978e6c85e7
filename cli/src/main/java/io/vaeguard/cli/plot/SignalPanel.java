package io.vaeguard.cli.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.theme.XChartTheme;

/**
 * The top panel: each signal min-max scaled into its own horizontal lane, first signal on top, its
 * name written just above the lane at the left. Lanes keep eight signals of different units
 * readable, where eight overlaid lines would be a tangle.
 */
final class SignalPanel {

  /** Half a lane's height in lane units; the rest of the lane is the gap that holds the name. */
  private static final double LANE_HALF_HEIGHT = 0.34;

  private static final Font NAME_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 12);

  /** Pixels XChart spends left and right of the plot when the y-axis has no labels (about). */
  private static final int FRAME_PX = 30;

  private static final Color[] COLORS = new XChartTheme().getSeriesColors();

  private SignalPanel() {}

  static XYChart build(
      int width,
      int height,
      String title,
      double[] x,
      List<String> names,
      double[][] rows,
      int[] labels) {
    int d = names.size();
    XYChart chart = PlotStyle.chart(width, height, title);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisTicksVisible(false);
    chart.getStyler().setPlotGridHorizontalLinesVisible(false);
    chart.getStyler().setYAxisTicksVisible(false);
    chart.getStyler().setAnnotationTextFont(NAME_FONT);
    double bottom = -0.5;
    double top = d - 0.5;
    chart.getStyler().setYAxisMin(bottom);
    chart.getStyler().setYAxisMax(top);
    chart.getStyler().setXAxisMin(x[0]);
    chart.getStyler().setXAxisMax(x[x.length - 1]);
    if (labels != null) {
      PlotStyle.shadeLabels(chart, x, labels, bottom, top, false);
    }
    for (int c = 0; c < d; c++) {
      double centre = d - 1 - c;
      XYSeries s = chart.addSeries(names.get(c), x, lane(rows, c, centre));
      PlotStyle.line(s, COLORS[c % COLORS.length], 1.2f);
      chart.addAnnotation(nameAt(names.get(c), centre + (0.5 + LANE_HALF_HEIGHT) / 2, x, width));
    }
    return chart;
  }

  /** Column c scaled to [centre - h, centre + h]; a constant column sits on the centre line. */
  static double[] lane(double[][] rows, int c, double centre) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] r : rows) {
      if (Double.isFinite(r[c])) {
        min = Math.min(min, r[c]);
        max = Math.max(max, r[c]);
      }
    }
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double v = rows[i][c];
      if (!Double.isFinite(v)) {
        y[i] = Double.NaN; // XChart leaves a gap
      } else if (max > min) {
        y[i] = centre - LANE_HALF_HEIGHT + 2 * LANE_HALF_HEIGHT * (v - min) / (max - min);
      } else {
        y[i] = centre;
      }
    }
    return y;
  }

  /**
   * The name, left-aligned a few pixels inside the plot. XChart centres annotation text on a data
   * point, so the centre is placed half the text's width (converted to rows) right of the first
   * row.
   */
  private static AnnotationText nameAt(String name, double y, double[] x, int width) {
    double textPx =
        NAME_FONT.getStringBounds(name, new FontRenderContext(null, true, true)).getWidth();
    double rowsPerPx = (x[x.length - 1] - x[0]) / Math.max(1, width - FRAME_PX);
    return new AnnotationText(name, x[0] + (8 + textPx / 2) * rowsPerPx, y, false);
  }
}
