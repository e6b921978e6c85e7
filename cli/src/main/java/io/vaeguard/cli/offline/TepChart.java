package io.vaeguard.cli.offline;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A bar chart of the detection rate per TEP fault, the faults set aside as undetectable in grey.
 */
public final class TepChart {

  public static final int WIDTH = 1200;
  public static final int HEIGHT = 600;

  private static final Color DETECTED = new Color(40, 80, 160);
  private static final Color SET_ASIDE = new Color(170, 170, 170);

  static {
    // the CLI never opens a window; without this, AWT needs a display on some JDKs
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private TepChart() {}

  public static void write(Path png, TepResult r) throws IOException {
    List<String> faults = new ArrayList<>();
    List<Double> detectable = new ArrayList<>();
    List<Double> setAside = new ArrayList<>();
    for (TepResult.Fault f : r.faults()) {
      boolean aside = TepResult.UNDETECTABLE.contains(f.k());
      faults.add(String.valueOf(f.k()));
      // Stacked series with a zero in the other one: one bar per fault, coloured by its group.
      detectable.add(aside ? 0.0 : f.detectionPercent());
      setAside.add(aside ? f.detectionPercent() : 0.0);
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                String.format(
                    Locale.ROOT,
                    "TEP detection rate per fault: mean %.1f%% (%d faults), %.1f%% (without 3, 9, 15); "
                        + "false alarms %.1f%% (first %d, pooled), %.1f%% (d00_te)",
                    r.meanDetectionPercent(),
                    r.faults().size(),
                    r.meanDetectionPercentDetectable(),
                    r.pooledBeforeFault().percent(),
                    TepResult.FAULT_START,
                    r.normal().percent()))
            .xAxisTitle("fault")
            .yAxisTitle("detection rate %")
            .build();
    chart.getStyler().setStacked(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setLegendBorderColor(Color.WHITE);
    chart.addSeries("detection rate", faults, detectable).setFillColor(DETECTED);
    chart
        .addSeries("faults 3, 9, 15 (practically undetectable)", faults, setAside)
        .setFillColor(SET_ASIDE);

    BufferedImage image = BitmapEncoder.getBufferedImage(chart);
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("no PNG writer in this JVM for " + png);
    }
  }
}
