package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --protocol univariate} end to end on files from {@code synth --univariate}: two
 * entities, one model fitted on four clean days without level shifts, then two test files of the
 * same entities (same seed: the same profiles and noise): 32 days with anomalies (10% of the rows,
 * no shifts) and four days with level shifts (about one every two days, no anomalies, so every
 * shift has a long stretch to settle in).
 *
 * <p>The bounds leave room around what this data gives (with model seeds 1-4 and 42: spike spans
 * 18-22 of 29, dip spans 38-41 of 44, precision about 0.48, false alarms about 2%, settling max
 * 18-23 rows) and fail where the detector does not do its job: without the adaptive baseline
 * ({@code --adapt-half-life 0}) about a third of the spike spans get an alert and two shifts alert
 * for about 740 rows; with a threshold that hardly fires ({@code --target-far 1e-9}) an eighth of
 * them; with {@code --target-far 0.1} the shifts alert for up to 735 rows.
 */
class UnivariateEvaluateCommandTest {

  private static final long SEED = 21;

  private static final Pattern HEADLINE =
      Pattern.compile(
          "univariate: precision ([\\d.]+) recall ([\\d.]+) "
              + "F1 ([\\d.]+); false alarms on normal rows ([\\d.]+)% \\(([\\d.]+)% outside the 1440 rows after a level "
              + "shift\\); level shifts: (\\d+), rows until alerts stop median (\\d+), p90 (\\d+), max (\\d+), never "
              + "settled (\\d+)");

  @Test
  void fitsOneModelAndReportsRecallPerKindAndSettlingAfterLevelShifts(@TempDir Path dir)
      throws IOException {
    Path train = dir.resolve("train.csv");
    Path data = dir.resolve("test");
    synth("--steps", 5760, "--anomaly-rate", 0, "--level-shifts-per-day", 0, "--out", train);
    synth(
        "--steps",
        46080,
        "--anomaly-rate",
        0.1,
        "--level-shifts-per-day",
        0,
        "--out",
        data.resolve("anomalies.csv"));
    synth(
        "--steps",
        5760,
        "--anomaly-rate",
        0,
        "--level-shifts-per-day",
        0.5,
        "--out",
        data.resolve("shifts.csv"));
    Path out = dir.resolve("eval");

    CliRun r =
        CliRun.of(
            "evaluate",
            "--protocol",
            "univariate",
            "--train",
            train,
            "--data",
            data,
            "--label-column",
            "anomaly",
            "--window",
            30,
            "--adapt-half-life",
            200,
            "--epochs",
            20,
            "--out",
            out);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    assertThat(r.out())
        .contains(
            "fitted on " + train + ": 11520 rows, features [value]",
            "[1/2] anomalies.csv",
            "[2/2] shifts.csv");
    Matcher h = HEADLINE.matcher(r.out());
    assertThat(h.find()).as(r.out()).isTrue();
    double precision = Double.parseDouble(h.group(1));
    double farPercent = Double.parseDouble(h.group(4));
    int shifts = Integer.parseInt(h.group(6));
    int settlingMedian = Integer.parseInt(h.group(7));
    int settlingMax = Integer.parseInt(h.group(9));
    int neverSettled = Integer.parseInt(h.group(10));
    assertThat(precision).as(r.out()).isGreaterThan(0.3); // alerting on every row: about 0.08
    assertThat(farPercent).as(r.out()).isLessThan(5.0);
    assertThat(shifts).as(r.out()).isEqualTo(levelShifts(data.resolve("shifts.csv"))).isPositive();
    assertThat(settlingMedian).as(r.out()).isLessThan(1440);
    assertThat(settlingMax).as(r.out()).isLessThan(360);
    assertThat(neverSettled).as(r.out()).isZero();
    assertThat(r.out())
        .contains(
            "  spike:",
            "  dip:",
            "  stuck:",
            "  pattern-change:",
            "precision by severity band: warning ");

    // summary.csv: a row per kind and the totals
    List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(csv.get(0))
        .isEqualTo(
            "kind,rows,rows_flagged,row_recall_percent,spans,spans_flagged,span_recall_percent");
    Map<String, String[]> byKind = new HashMap<>();
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",", -1);
      assertThat(f).as(line).hasSize(7);
      byKind.put(f[0], f);
    }
    assertThat(csv.subList(1, csv.size()))
        .extracting(l -> l.split(",")[0])
        .containsExactly("spike", "dip", "stuck", "pattern-change", "all");
    // spikes are 6-10 sigma for 1-3 rows, dips 5-8 sigma for 3-15 rows: most spans get an alert
    // (not all at
    // window 30: a spike is 1-3 of the 30 rows a score sees, and the scaler is shared by both
    // entities)
    // (measured: 18 of 29 spike spans, 40 of 44 dips; training is not bit-identical across runs,
    // so the bounds leave room for a few spans either way)
    assertThat(spanRecall(byKind.get("spike")))
        .as(String.join("\n", csv))
        .isGreaterThanOrEqualTo(0.4);
    assertThat(spanRecall(byKind.get("dip")))
        .as(String.join("\n", csv))
        .isGreaterThanOrEqualTo(0.7);
    int anomalous = 0;
    for (String kind : List.of("spike", "dip", "stuck", "pattern-change")) {
      anomalous += Integer.parseInt(byKind.get(kind)[1]);
    }
    assertThat(Integer.parseInt(byKind.get("all")[1]))
        .isEqualTo(anomalous)
        .isEqualTo(anomalousRows(data.resolve("anomalies.csv")));

    assertThat(out.resolve("summary.md"))
        .content()
        .contains(
            "# Evaluation: univariate series",
            "vaeguard evaluate --protocol univariate",
            "Protocol: ",
            "| spike |",
            "| all |",
            "| anomalies.csv |",
            "| shifts.csv |",
            h.group(0));
    assertThat(out.resolve("model").resolve("fp32").resolve("model.json")).exists();
    for (String entity : List.of("entity-000", "entity-001")) {
      Path png = out.resolve("plots").resolve("anomalies").resolve(entity + ".png");
      assertThat(javax.imageio.ImageIO.read(png.toFile())).as(png.toString()).isNotNull();
    }
  }

  @Test
  void needsATrainingFileAndRefusesTheOtherProtocolsFlags(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("test"));
    CliRun noTrain =
        CliRun.of("evaluate", "--protocol", "univariate", "--data", dir.resolve("test"));
    CliRun trainRows =
        CliRun.of(
            "evaluate",
            "--protocol",
            "univariate",
            "--data",
            dir.resolve("test"),
            "--train",
            dir.resolve("train.csv"),
            "--train-rows",
            10);
    CliRun missing =
        CliRun.of(
            "evaluate",
            "--protocol",
            "univariate",
            "--data",
            dir.resolve("test"),
            "--train",
            dir.resolve("train.csv"));

    assertThat(noTrain.exitCode()).as(noTrain.toString()).isEqualTo(2);
    assertThat(noTrain.errLines())
        .containsExactly(
            "evaluate: --train FILE is needed with --protocol univariate: "
                + "the clean CSV to fit the model on");
    assertThat(trainRows.exitCode()).isEqualTo(2);
    assertThat(trainRows.errLines())
        .containsExactly(
            "evaluate: --train-rows is not used with --protocol univariate (it fits one model on --train FILE)");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.errLines())
        .containsExactly("evaluate: no such file: " + dir.resolve("train.csv"));
  }

  private static void synth(Object... args) {
    Object[] all = new Object[args.length + 6];
    all[0] = "synth";
    all[1] = "--univariate";
    all[2] = "--entities";
    all[3] = 2;
    all[4] = "--seed";
    all[5] = SEED;
    System.arraycopy(args, 0, all, 6, args.length);
    CliRun r = CliRun.of(all);
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static double spanRecall(String[] row) {
    return Double.parseDouble(row[5]) / Double.parseDouble(row[4]);
  }

  private static long levelShifts(Path csv) throws IOException {
    return Files.readAllLines(csv).stream().filter(l -> l.endsWith(",level-shift")).count();
  }

  private static long anomalousRows(Path csv) throws IOException {
    return Files.readAllLines(csv).stream()
        .skip(1)
        .filter(l -> l.split(",", -1)[3].equals("1"))
        .count();
  }
}
