package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.cli.offline.TepData;
import io.vaeguard.cli.offline.TepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --protocol tep} on a synthetic directory shaped like the TEP files (never the
 * real ones: fitting on them is too slow for CI): 52 variables driven by a few common factors,
 * d00.dat stored transposed, and in fault k's file variable k shifted far off from sample 161 on,
 * except for faults 3, 9 and 15, which change nothing.
 */
class TepEvaluateCommandTest {

  private static final int TRAIN = 500;
  private static final int TEST = 960;
  private static final int FACTORS = 4;

  private static final Pattern HEADLINE =
      Pattern.compile(
          "TEP: mean detection 21 faults ([\\d.]+)%, 18 faults "
              + "\\(without 3, 9, 15\\) ([\\d.]+)%; false alarms: first 160 samples ([\\d.]+)% \\(pooled\\), d00_te ([\\d.]+)%");

  @Test
  void fitsOnD00AndReportsDetectionPerFault(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("tep");
    writeSynthetic(data);
    Path out = dir.resolve("eval");

    CliRun r =
        CliRun.of("evaluate", "--protocol", "tep", "--data", data, "--epochs", "30", "--out", out);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    assertThat(r.out()).contains("fitted on d00.dat: 500 samples");
    Matcher h = HEADLINE.matcher(r.out());
    assertThat(h.find()).as(r.out()).isTrue();
    assertThat(Double.parseDouble(h.group(1)))
        .as(r.out())
        .isBetween(18.0 / 21 * 95, 18.0 / 21 * 100 + 1);
    assertThat(Double.parseDouble(h.group(2))).as(r.out()).isBetween(95.0, 100.0);
    assertThat(Double.parseDouble(h.group(3))).as(r.out()).isBetween(0.0, 5.0);
    assertThat(Double.parseDouble(h.group(4))).as(r.out()).isBetween(0.0, 5.0);

    List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(csv).hasSize(1 + 22 + 3);
    for (int k = 1; k <= 21; k++) {
      String[] f = csv.get(1 + k).split(",", -1);
      assertThat(f[0]).isEqualTo(TepData.testFile(k));
      assertThat(f[2]).isEqualTo("160");
      assertThat(f[5]).isEqualTo("800");
      double detection = Double.parseDouble(f[7]);
      if (TepResult.UNDETECTABLE.contains(k)) {
        assertThat(detection).as(csv.get(1 + k)).isLessThan(5.0);
      } else {
        assertThat(detection).as(csv.get(1 + k)).isGreaterThan(95.0);
      }
    }
    assertThat(csv.get(1)).startsWith("d00_te.dat,0,960,");
    assertThat(out.resolve("summary.md"))
        .content()
        .contains(
            "# Evaluation: Tennessee Eastman Process",
            "vaeguard evaluate --protocol tep",
            "Protocol: ",
            "| 3 * |",
            h.group(0));
    assertThat(out.resolve("model").resolve("fp32").resolve("model.json")).exists();
    assertThat(javax.imageio.ImageIO.read(out.resolve("detection-per-fault.png").toFile()))
        .isNotNull();
  }

  @Test
  void aMissingFileIsOneLineNamingIt(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("d00.dat"), "1 2\n");
    for (int k = 0; k <= TepData.LAST_FAULT; k++) {
      if (k != 13) {
        Files.writeString(dir.resolve(TepData.testFile(k)), "1 2\n");
      }
    }

    CliRun r =
        CliRun.of("evaluate", "--protocol", "tep", "--data", dir, "--out", dir.resolve("eval"));

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("evaluate: missing d13_te.dat in " + dir);
  }

  @Test
  void flagsOfTheOtherProtocolAreRefused(@TempDir Path dir) {
    CliRun skab = CliRun.of("evaluate", "--data", dir, "--train-rows", "10");
    CliRun trainRows =
        CliRun.of("evaluate", "--protocol", "tep", "--data", dir, "--train-rows", "10");
    CliRun label =
        CliRun.of("evaluate", "--protocol", "tep", "--data", dir, "--label-column", "anomaly");
    CliRun unknown = CliRun.of("evaluate", "--protocol", "nab", "--data", dir);

    assertThat(skab.exitCode()).as(skab.toString()).isEqualTo(2);
    assertThat(skab.errLines())
        .containsExactly(
            "evaluate: --label-column NAME is needed with --protocol skab: the 0/1 column marking anomalous rows");
    assertThat(trainRows.exitCode()).isEqualTo(2);
    assertThat(trainRows.errLines())
        .containsExactly(
            "evaluate: --train-rows is not used with --protocol tep (it fits one model on d00.dat)");
    assertThat(label.exitCode()).isEqualTo(2);
    assertThat(label.errLines().get(0))
        .startsWith("evaluate: --label-column is not used with --protocol tep");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.errLines())
        .containsExactly("evaluate: --protocol must be skab, tep or univariate, got 'nab'");
  }

  /** d00.dat (transposed, 52 x 500) and d00_te.dat .. d21_te.dat (960 x 52). */
  private static void writeSynthetic(Path dir) throws IOException {
    Files.createDirectories(dir);
    Random rnd = new Random(11);
    double[][] loadings = new double[FACTORS][TepData.VARIABLES];
    for (double[] l : loadings) {
      for (int v = 0; v < l.length; v++) {
        l[v] = rnd.nextGaussian();
      }
    }
    double[][] train = samples(rnd, loadings, TRAIN, 0, 0);
    List<String> transposed = new ArrayList<>();
    for (int v = 0; v < TepData.VARIABLES; v++) {
      StringBuilder line = new StringBuilder();
      for (double[] s : train) {
        line.append(String.format(Locale.ROOT, "   %.7e", s[v]));
      }
      transposed.add(line.toString());
    }
    Files.write(dir.resolve(TepData.TRAIN_FILE), transposed);
    for (int k = 0; k <= TepData.LAST_FAULT; k++) {
      boolean silent = k == 0 || TepResult.UNDETECTABLE.contains(k);
      double[][] test = samples(rnd, loadings, TEST, silent ? 0 : k, 15);
      List<String> lines = new ArrayList<>();
      for (double[] s : test) {
        StringBuilder line = new StringBuilder();
        for (double x : s) {
          line.append(String.format(Locale.ROOT, "   %.7e", x));
        }
        lines.add(line.toString());
      }
      Files.write(dir.resolve(TepData.testFile(k)), lines);
    }
  }

  /**
   * Rows of common factors plus a little noise; variable {@code fault} (1-based, 0 = none) shifted
   * after row 160.
   */
  private static double[][] samples(
      Random rnd, double[][] loadings, int n, int fault, double shift) {
    double[][] rows = new double[n][TepData.VARIABLES];
    for (int i = 0; i < n; i++) {
      double[] z = new double[FACTORS];
      for (int f = 0; f < FACTORS; f++) {
        z[f] = rnd.nextGaussian();
      }
      for (int v = 0; v < TepData.VARIABLES; v++) {
        double x = 0.1 * rnd.nextGaussian();
        for (int f = 0; f < FACTORS; f++) {
          x += loadings[f][v] * z[f];
        }
        rows[i][v] = x;
      }
      if (fault > 0 && i >= TepResult.FAULT_START) {
        rows[i][fault - 1] += shift;
      }
    }
    return rows;
  }
}
