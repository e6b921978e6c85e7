package io.vaeguard.cli.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.SyntheticGenerator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationPlotTest {

  /** One synthetic entity with anomalies, scored by mean squared z against its first 300 rows. */
  private record Sample(double[][] rows, double[] score, int[] labels, boolean[] alerts) {

    static Sample make(int n) {
      SyntheticGenerator gen =
          new SyntheticGenerator(
              GeneratorConfig.builder()
                  .entities(1)
                  .stepMillis(60_000)
                  .anomalyRate(0.1)
                  .seed(4)
                  .build());
      double[][] rows = new double[n][];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        var r = gen.next();
        rows[i] = r.values();
        labels[i] = r.isAnomalous() ? 1 : 0;
      }
      int d = rows[0].length;
      double[] mean = new double[d];
      double[] sd = new double[d];
      for (int i = 0; i < 300; i++) {
        for (int c = 0; c < d; c++) {
          mean[c] += rows[i][c] / 300;
        }
      }
      for (int i = 0; i < 300; i++) {
        for (int c = 0; c < d; c++) {
          sd[c] += Math.pow(rows[i][c] - mean[c], 2) / 300;
        }
      }
      double[] score = new double[n];
      boolean[] alerts = new boolean[n];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < d; c++) {
          score[i] += Math.pow((rows[i][c] - mean[c]) / Math.sqrt(sd[c]), 2) / d;
        }
        alerts[i] = score[i] > 3;
      }
      return new Sample(rows, score, labels, alerts);
    }
  }

  @Test
  void writesANonBlankPngOfTheExpectedSize(@TempDir Path dir) throws IOException {
    Sample s = Sample.make(1500);
    Path png = dir.resolve("eval.png");
    EvaluationPlot.write(
        png,
        "synthetic entity-000: mean squared z",
        SyntheticGenerator.channelNames(),
        s.rows(),
        s.score(),
        3.0,
        s.labels(),
        s.alerts());

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a readable PNG").isNotNull();
    assertThat(image.getWidth()).isEqualTo(EvaluationPlot.WIDTH);
    assertThat(image.getHeight()).isEqualTo(EvaluationPlot.HEIGHT);
    assertThat(lumaStd(image)).as("pixel variance").isGreaterThan(10);

    // for a human look: mvn ... -Dvaeguard.plot.sample=/some/where.png
    String sample = System.getProperty("vaeguard.plot.sample");
    if (sample != null) {
      Files.copy(png, Path.of(sample), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void plotsWithoutLabelsAlertsOrThreshold(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("bare.png");
    double[][] rows = {{1, 5}, {2, 5}, {3, 5}};
    EvaluationPlot.write(
        png,
        null,
        List.of("a", "constant"),
        rows,
        new double[] {0, 0, 0},
        Double.NaN,
        null,
        new boolean[3]);
    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(EvaluationPlot.WIDTH);
  }

  @Test
  void rejectsMismatchedInputNamingIt(@TempDir Path dir) {
    Path png = dir.resolve("x.png");
    assertThatThrownBy(
            () ->
                EvaluationPlot.write(
                    png,
                    "t",
                    List.of("a"),
                    new double[][] {{1}, {2}},
                    new double[] {1},
                    1,
                    null,
                    null))
        .hasMessageContaining("2 signal rows but 1 scores");
    assertThatThrownBy(
            () ->
                EvaluationPlot.write(
                    png,
                    "t",
                    List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"),
                    new double[][] {new double[9]},
                    new double[] {1},
                    1,
                    null,
                    null))
        .hasMessageContaining("at most 8");
  }

  private static double lumaStd(BufferedImage image) {
    double sum = 0;
    double sq = 0;
    long n = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y);
        double l = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
        sum += l;
        sq += l * l;
        n++;
      }
    }
    double mean = sum / n;
    return Math.sqrt(sq / n - mean * mean);
  }
}
