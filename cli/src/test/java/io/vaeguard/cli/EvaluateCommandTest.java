package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} on a small SKAB-like directory: ';'-separated files with anomaly and changepoint
 * labels.
 */
class EvaluateCommandTest {

  private static final int ROWS = 400;
  private static final int TRAIN_ROWS = 200;

  private static final Pattern POOLED =
      Pattern.compile(
          "all 2 files, (\\d+) test rows: F1 ([\\d.]+)\\s+FAR ([\\d.]+)%\\s+MAR ([\\d.]+)%\\s+ROC-AUC ([\\d.]+) \\(pooled\\)");

  @Test
  void backtestsEveryLabelledFileAndWritesSummaryAndPlots(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    int shifted = skabLike(data.resolve("valve1").resolve("0.csv"), 1, 280, 320);
    int broken = skabLike(data.resolve("other").resolve("1.csv"), 2, 250, 275);
    Files.writeString(
        data.resolve("notes.csv"), "what;when\nnothing;today\n"); // no label column: skipped
    Path out = dir.resolve("eval");

    CliRun r =
        CliRun.of(
            "evaluate",
            "--data",
            data,
            "--label-column",
            "anomaly",
            "--train-rows",
            TRAIN_ROWS,
            "--epochs",
            "20",
            "--target-far",
            "0.01",
            "--out",
            out);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    assertThat(r.out()).contains("evaluating 2 files", "other/1.csv", "valve1/0.csv");
    Matcher pooled = POOLED.matcher(r.out());
    assertThat(pooled.find()).as(r.out()).isTrue();
    assertThat(Integer.parseInt(pooled.group(1))).isEqualTo(2 * (ROWS - TRAIN_ROWS));
    double f1 = Double.parseDouble(pooled.group(2));
    double far = Double.parseDouble(pooled.group(3));
    double mar = Double.parseDouble(pooled.group(4));
    double auc = Double.parseDouble(pooled.group(5));
    // The detector's moving average flags a few normal rows after each span as it comes down
    // (about 7 at smoothing 0.1): with 25-40-row spans in 200 test rows that is most of the FAR.
    assertThat(f1).as(r.out()).isBetween(0.7, 1.0);
    assertThat(far).as(r.out()).isBetween(0.0, 15.0);
    assertThat(mar).as(r.out()).isBetween(0.0, 20.0);
    assertThat(r.out())
        .containsPattern("precision by severity band: warning [-0-9.]+ \\(n=\\d+\\), minor");
    assertThat(auc).as(r.out()).isBetween(0.95, 1.0);
    // Neither label column may leak into the features: that would make any detector look perfect.
    for (String slug : List.of("other_1", "valve1_0")) {
      ModelCard card =
          ModelCards.read(
              out.resolve("models").resolve(slug).resolve("fp32").resolve("model.json"));
      assertThat(card.features()).as(slug).containsExactly("a", "b", "c");
    }

    assertThat(out.resolve("summary.md"))
        .content()
        .contains("# Evaluation", "vaeguard evaluate", "valve1/0.csv", "other/1.csv")
        .contains(
            String.format(
                Locale.ROOT, "F1 %.3f, FAR %.1f%%, MAR %.1f%%, ROC-AUC %.3f", f1, far, mar, auc));
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(summary).hasSize(3);
    assertThat(summary.get(0))
        .isEqualTo("file,test_rows,anomalous,f1,far_percent,mar_percent,roc_auc,epochs,seconds");
    assertThat(summary.get(1))
        .startsWith("other/1.csv," + (ROWS - TRAIN_ROWS) + "," + broken + ",");
    assertThat(summary.get(2))
        .startsWith("valve1/0.csv," + (ROWS - TRAIN_ROWS) + "," + shifted + ",");

    List<Path> plots;
    try (Stream<Path> s = Files.list(out.resolve("plots"))) {
      plots = s.sorted().toList();
    }
    assertThat(plots)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("other_1.png", "valve1_0.png");
    for (Path png : plots) {
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image).as(png.toString()).isNotNull();
      assertThat(image.getWidth()).isGreaterThan(100);
      assertThat(image.getHeight()).isGreaterThan(100);
    }
  }

  /**
   * Writes {@code datetime;a;b;c;anomaly;changepoint}: three correlated periodic signals with
   * noise, and b shifted away from them (a level shift that breaks the correlation) in rows [from,
   * to).
   *
   * @return the number of anomalous rows
   */
  private static int skabLike(Path file, long seed, int from, int to) throws IOException {
    Random noise = new Random(seed);
    LocalDateTime t0 = LocalDateTime.of(2020, 3, 9, 10, 14, 33);
    List<String> lines = new ArrayList<>();
    lines.add("datetime;a;b;c;anomaly;changepoint");
    for (int i = 0; i < ROWS; i++) {
      boolean anomalous = i >= from && i < to;
      double a = Math.sin(2 * Math.PI * i / 50) + 0.05 * noise.nextGaussian();
      double b =
          0.8 * a
              + 0.2 * Math.cos(2 * Math.PI * i / 30)
              + 0.05 * noise.nextGaussian()
              + (anomalous ? 1.5 : 0);
      double c = a - b + 0.05 * noise.nextGaussian();
      lines.add(
          String.format(
              Locale.ROOT,
              "%s;%.5f;%.5f;%.5f;%d;%d",
              t0.plusSeconds(i).toString().replace('T', ' '),
              a,
              b,
              c,
              anomalous ? 1 : 0,
              i == from || i == to ? 1 : 0));
    }
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
    return to - from;
  }
}
