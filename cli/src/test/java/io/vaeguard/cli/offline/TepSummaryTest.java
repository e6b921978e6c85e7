package io.vaeguard.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * summary.csv and the bar chart of the TEP protocol, on the alert pattern of {@link TepResultTest}.
 */
class TepSummaryTest {

  @Test
  void csvHasALinePerFileThenPooledAndMeans() {
    TepResult r = TepResult.of(TepResultTest.pattern());

    List<String> lines = TepSummary.csv(r).lines().toList();

    assertThat(lines).hasSize(1 + 22 + 3);
    assertThat(lines.get(0))
        .isEqualTo(
            "file,fault,rows_before_fault,alerted_before_fault,false_alarm_percent,"
                + "rows_after_fault,alerted_after_fault,detection_percent");
    assertThat(lines.get(1)).isEqualTo("d00_te.dat,0,960,48,5.00,0,0,");
    assertThat(lines.get(2)).isEqualTo("d01_te.dat,1,160,1,0.63,800,10,1.25");
    assertThat(lines.get(4)).isEqualTo("d03_te.dat,3,160,3,1.88,800,30,3.75");
    assertThat(lines.get(22)).isEqualTo("d21_te.dat,21,160,21,13.13,800,210,26.25");
    assertThat(lines.get(23)).isEqualTo("pooled,,3360,231,6.88,16800,2310,13.75");
    assertThat(lines.get(24)).isEqualTo("mean 21 faults,,,,,,,13.75");
    assertThat(lines.get(25)).isEqualTo("mean 18 faults without 3 9 15,,,,,,,14.17");
  }

  @Test
  void protocolLineNamesTheFilesAndTheSampleRanges() {
    String p = TepSummary.protocol(TepResult.of(TepResultTest.pattern()), 3);

    assertThat(p)
        .startsWith("Protocol: Tennessee Eastman Process, one model fitted on d00.dat only;")
        .contains(
            "d00_te.dat .. d21_te.dat",
            "(window 3)",
            "samples 161..960 alerted",
            "samples 1..160 alerted");
  }

  @Test
  void chartHasABarPerFaultInTwoColours(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("sub").resolve("chart.png");

    TepChart.write(png, TepResult.of(TepResultTest.pattern()));

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(TepChart.WIDTH);
    assertThat(image.getHeight()).isEqualTo(TepChart.HEIGHT);
    // the detectable faults' bars in blue, and 3, 9, 15 (3.75%, 11.25%, 18.75% here) in grey
    assertThat(count(image, 0x2850a0)).isGreaterThan(1000);
    assertThat(count(image, 0xaaaaaa)).isGreaterThan(300);
  }

  private static int count(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
