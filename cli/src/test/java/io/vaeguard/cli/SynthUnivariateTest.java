package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.model.synth.UnivariateCsv;
import io.vaeguard.model.synth.UnivariateKind;
import io.vaeguard.model.synth.UnivariateSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vaeguard synth --univariate}: one metric per entity, labelled anomalies and level shifts.
 */
class SynthUnivariateTest {

  @TempDir Path dir;

  @Test
  void writesTheRowsAndALabelsFileThatAgree() throws IOException {
    Path csv = dir.resolve("test/week.csv");
    Path labels = dir.resolve("spans.csv");
    CliRun run =
        CliRun.of(
            "synth",
            "--univariate",
            "--entities",
            3,
            "--steps",
            10080,
            "--anomaly-rate",
            0.02,
            "--level-shifts-per-day",
            1,
            "--seed",
            2,
            "--out",
            csv,
            "--labels-out",
            labels);
    assertThat(run.exitCode()).as(run.toString()).isZero();

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("timestamp,entity,value,anomaly,kind");
    assertThat(lines).hasSize(1 + 3 * 10080);
    assertThat(lines.get(1)).startsWith("1704067200000,entity-000,").endsWith(",0,");
    assertThat(lines.get(4)).startsWith("1704067260000,entity-000,");

    List<UnivariateSpan> spans = UnivariateCsv.readSpans(labels);
    List<UnivariateSpan> anomalies = spans.stream().filter(s -> s.label() == 1).toList();
    long shifts = spans.size() - anomalies.size();
    assertThat(anomalies).isNotEmpty();
    assertThat(shifts).isPositive();
    assertThat(run.out())
        .contains(
            "wrote 30240 values (3 entities x 10080 steps) with "
                + anomalies.size()
                + " anomaly spans and "
                + shifts
                + " level shifts to "
                + csv);
    assertThat(Files.readAllLines(labels).get(0)).isEqualTo("entity,start,end,kind,label");

    // every row's label and kind agree with the spans file
    long anomalous = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      long t = Long.parseLong(f[0]);
      UnivariateSpan span =
          spans.stream().filter(s -> s.contains(f[1], t)).findFirst().orElse(null);
      assertThat(f[3]).as(line).isEqualTo(span == null ? "0" : String.valueOf(span.label()));
      assertThat(f[4]).as(line).isEqualTo(span == null ? "" : span.kind().id());
      assertThat(Double.isFinite(Double.parseDouble(f[2]))).isTrue();
      anomalous += Integer.parseInt(f[3]);
    }
    long spanned =
        anomalies.stream().mapToLong(s -> (s.endMillis() - s.startMillis()) / 60_000 + 1).sum();
    assertThat(anomalous).isEqualTo(spanned);
    assertThat(anomalous / (double) (lines.size() - 1)).isBetween(0.005, 0.05);
    assertThat(lines).anyMatch(l -> l.endsWith(",0,level-shift"));
    assertThat(spans)
        .allMatch(s -> s.kind() != UnivariateKind.LEVEL_SHIFT || s.startMillis() == s.endMillis());
  }

  @Test
  void sameSeedSameFileAndARateOfZeroHasNoAnomaliesButStillLevelShifts() throws IOException {
    Path a = dir.resolve("a.csv");
    Path b = dir.resolve("b.csv");
    for (Path p : List.of(a, b)) {
      CliRun run =
          CliRun.of(
              "synth",
              "--univariate",
              "--entities",
              2,
              "--steps",
              8640,
              "--anomaly-rate",
              0,
              "--seed",
              1,
              "--out",
              p);
      assertThat(run.exitCode()).as(run.toString()).isZero();
    }
    List<String> lines = Files.readAllLines(a);
    assertThat(Files.readAllLines(b)).isEqualTo(lines);
    assertThat(lines).hasSize(1 + 2 * 8640);
    assertThat(lines.subList(1, lines.size()))
        .allMatch(l -> l.split(",", -1)[3].equals("0"))
        .anyMatch(l -> l.endsWith(",level-shift"));
  }

  @Test
  void levelShiftsWithoutUnivariateIsAMistake() {
    CliRun run =
        CliRun.of(
            "synth", "--steps", 10, "--level-shifts-per-day", 1, "--out", dir.resolve("x.csv"));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).contains("--level-shifts-per-day needs --univariate");
    assertThat(dir.resolve("x.csv")).doesNotExist();
  }
}
