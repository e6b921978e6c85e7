package io.vaeguard.bench.pipeline;

import io.vaeguard.bench.report.Charts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code latency-cdf.png}: the empirical CDF of each load level's latencies, on a log axis. */
final class LatencyChart {

  private final XYChart chart =
      Charts.xy(
          "vaeguard job (fp32, batch 256, max wait 10 ms): end-to-end latency CDF",
          "latency (ms): Score append time - Observation event time",
          "fraction of records");

  LatencyChart() {
    chart.getStyler().setXAxisLogarithmic(true);
  }

  /** One level's series; {@code sorted} must not be empty. */
  void add(double loadFraction, double recordsPerSecond, long[] sorted) {
    double[][] cdf = cdf(sorted, 400);
    chart
        .addSeries(
            String.format(
                Locale.ROOT, "%.0f%% load (%,.0f rec/s)", 100 * loadFraction, recordsPerSecond),
            cdf[0],
            cdf[1])
        .setMarker(SeriesMarkers.NONE);
  }

  void save(Path file) {
    Charts.savePng(chart, file);
  }

  /**
   * At most {@code points} steps of the empirical CDF; latencies below 1 ms plot at 0.5 ms (log
   * axis).
   */
  static double[][] cdf(long[] sorted, int points) {
    int n = sorted.length;
    int step = Math.max(1, n / points);
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < n; i += step) {
      pts.add(new double[] {Math.max(0.5, sorted[i]), (i + 1) / (double) n});
    }
    pts.add(new double[] {Math.max(0.5, sorted[n - 1]), 1.0});
    double[][] xy = new double[2][pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      xy[0][i] = pts.get(i)[0];
      xy[1][i] = pts.get(i)[1];
    }
    return xy;
  }
}
