package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * synth, train and score as a user runs them: clean data to train on, labelled data with injected
 * anomalies to score, and the scores checked against the labels.
 */
class TrainScoreEndToEndTest {

  private static final int ENTITIES = 4;
  private static final int STEPS = 600;
  private static final String SCORES_HEADER =
      "row,timestamp,entity,score,raw_score,statistic,reconstruction_error,kl,alert,severity,band,event,top_feature";

  /** Data, a snapshot model and a window model, written once and only read by the tests. */
  @TempDir static Path shared;

  private static Path train;
  private static Path test;
  private static final int WINDOW = 4;

  private static Path model;
  private static Path windowModel;

  @BeforeAll
  static void synthAndTrain() {
    train = shared.resolve("train.csv");
    test = shared.resolve("test.csv");
    ok(
        CliRun.of(
            "synth",
            "--entities",
            ENTITIES,
            "--steps",
            STEPS,
            "--anomaly-rate",
            "0",
            "--seed",
            "1",
            "--out",
            train));
    ok(
        CliRun.of(
            "synth",
            "--entities",
            ENTITIES,
            "--steps",
            STEPS,
            "--anomaly-rate",
            "0.05",
            "--seed",
            "2",
            "--out",
            test,
            "--labels-out",
            shared.resolve("spans.csv")));
    model = shared.resolve("model");
    ok(CliRun.of((Object[]) trainArgs(model, "42", "1")));
    windowModel = shared.resolve("w" + WINDOW).resolve("model");
    ok(CliRun.of((Object[]) trainArgs(windowModel, "42", String.valueOf(WINDOW))));
  }

  /**
   * {@code train} on the clean file. A few epochs keep the test fast; the threshold is then the
   * 99th percentile of the fitting rows' scores itself (factor 1), about 1% false alarms on clean
   * data, since the default factor 3 suits fully trained models. The output directory's name is the
   * model's name (and the ONNX graph's), so every model here lives in a directory called "model".
   */
  private static String[] trainArgs(Path out, String seed, String window) {
    return new String[] {
      "train",
      "--input",
      train.toString(),
      "--exclude",
      "anomaly",
      "--window",
      window,
      "--epochs",
      "20",
      "--target-far",
      "0.01",
      "--seed",
      seed,
      "--out",
      out.toString()
    };
  }

  @Test
  void trainWritesAnOnnxModelAndCardPerPrecision() {
    for (String p : List.of("fp32", "int8")) {
      assertThat(model.resolve(p).resolve("model.onnx")).isNotEmptyFile();
      assertThat(model.resolve(p).resolve("model.json")).content().contains("\"precision\"", p);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"fp32", "int8"})
  void scoresFollowTheLabels(String precision, @TempDir Path dir) throws IOException {
    Path out = dir.resolve("scores.csv");

    CliRun r =
        ok(
            CliRun.of(
                "score",
                "--model",
                model,
                "--precision",
                precision,
                "--input",
                test,
                "--out",
                out));

    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo(SCORES_HEADER);
    List<ScoreRow> rows = ScoreRow.parse(lines);
    int[] labels = labels(test);
    assertThat(rows).hasSize(labels.length).hasSize(ENTITIES * STEPS);
    for (int i = 0; i < rows.size(); i++) {
      ScoreRow s = rows.get(i);
      assertThat(s.row()).isEqualTo(i);
      assertThat(s.score()).isBetween(0.0, 1.0);
      assertThat(s.topFeature()).isNotEmpty();
    }

    int anomalous = 0;
    int alerts = 0;
    int trueAlerts = 0;
    double anomalousSum = 0;
    double normalSum = 0;
    for (int i = 0; i < labels.length; i++) {
      ScoreRow s = rows.get(i);
      anomalous += labels[i];
      alerts += s.alert();
      trueAlerts += s.alert() * labels[i];
      if (labels[i] == 1) {
        anomalousSum += s.score();
      } else {
        normalSum += s.score();
      }
    }
    double baseRate = (double) anomalous / labels.length;
    double precisionOfAlerts = (double) trueAlerts / alerts;
    double meanAnomalous = anomalousSum / anomalous;
    double meanNormal = normalSum / (labels.length - anomalous);
    String stats =
        String.format(
            "base rate %.3f, %d alerts, precision %.3f, mean score anomalous %.3f vs normal %.3f",
            baseRate, alerts, precisionOfAlerts, meanAnomalous, meanNormal);

    assertThat(r.out()).contains("scored " + labels.length + " rows", alerts + " anomalous rows");
    assertThat(baseRate).as(stats).isBetween(0.01, 0.2);
    assertThat(alerts).as(stats).isGreaterThanOrEqualTo(10);
    assertThat(precisionOfAlerts).as(stats).isGreaterThan(Math.max(0.5, 5 * baseRate));
    assertThat(meanAnomalous).as(stats).isGreaterThan(meanNormal + 0.1);
  }

  /**
   * With a window, the rows before FROM still fill the first windows: every written row has the
   * score it has when the whole file is scored (rows interleave the entities, so an entity's
   * earlier rows lie further back than W-1 file rows).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, WINDOW})
  void rowsFromWritesOnlyThoseRowsWithTheSameScores(int window, @TempDir Path dir)
      throws IOException {
    Path m = window == 1 ? model : windowModel;
    Path all = dir.resolve("all.csv");
    Path tail = dir.resolve("tail.csv");
    int from = 1001;

    ok(CliRun.of("score", "--model", m, "--input", test, "--out", all));
    ok(CliRun.of("score", "--model", m, "--input", test, "--rows", from + ":", "--out", tail));

    List<String> allLines = Files.readAllLines(all);
    List<String> tailLines = Files.readAllLines(tail);
    assertThat(tailLines.get(0)).isEqualTo(SCORES_HEADER);
    assertThat(ScoreRow.parse(tailLines))
        .hasSize(ENTITIES * STEPS - from)
        .allSatisfy(s -> assertThat(s.row()).isGreaterThanOrEqualTo(from));
    assertThat(tailLines.subList(1, tailLines.size()))
        .isEqualTo(allLines.subList(1 + from, allLines.size()));
  }

  @Test
  void aWindowModelLeavesEachEntitysFirstRowsUnscored(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("scores.csv");

    ok(CliRun.of("score", "--model", windowModel, "--input", test, "--out", out));

    List<ScoreRow> rows = ScoreRow.parse(Files.readAllLines(out));
    assertThat(rows).hasSize(ENTITIES * STEPS);
    Map<String, Integer> seen = new HashMap<>();
    int unscored = 0;
    for (ScoreRow s : rows) {
      int position = seen.merge(s.entity(), 1, Integer::sum) - 1;
      if (position < WINDOW - 1) {
        unscored++;
        assertThat(s.score())
            .as("row %d, entity %s, position %d", s.row(), s.entity(), position)
            .isZero();
        assertThat(s.alert()).isZero();
        assertThat(s.topFeature()).isEmpty();
        assertThat(s.event()).isEqualTo("warming-up");
      } else {
        assertThat(s.topFeature()).as("row %d", s.row()).isNotEmpty();
        assertThat(s.event()).isIn("none", "open", "repeat", "resolve");
        assertThat(s.statistic()).as("row %d", s.row()).isPositive();
      }
    }
    assertThat(seen).hasSize(ENTITIES);
    assertThat(unscored).isEqualTo(ENTITIES * (WINDOW - 1));
    assertThat(rows.stream().filter(s -> s.score() > 0).count())
        .isGreaterThan(ENTITIES * STEPS / 4);
  }

  @Test
  void sameSeedGivesTheSameModelBytesAndAnotherSeedDoesNot(@TempDir Path dir) throws IOException {
    Path same = dir.resolve("same").resolve("model");
    Path other = dir.resolve("other").resolve("model");

    ok(CliRun.of((Object[]) trainArgs(same, "42", "1")));
    ok(CliRun.of((Object[]) trainArgs(other, "43", "1")));

    for (String p : List.of("fp32", "int8")) {
      byte[] first = Files.readAllBytes(model.resolve(p).resolve("model.onnx"));
      assertThat(Files.readAllBytes(same.resolve(p).resolve("model.onnx"))).as(p).isEqualTo(first);
      assertThat(Files.readAllBytes(other.resolve(p).resolve("model.onnx")))
          .as(p)
          .isNotEqualTo(first);
    }
  }

  private static CliRun ok(CliRun r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    return r;
  }

  /** The {@code anomaly} column of a synth file. */
  private static int[] labels(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    int column = List.of(lines.get(0).split(",", -1)).indexOf("anomaly");
    assertThat(column).isPositive();
    return lines.stream()
        .skip(1)
        .mapToInt(l -> Integer.parseInt(l.split(",", -1)[column]))
        .toArray();
  }

  /** One line of a scores file. */
  private record ScoreRow(
      int row,
      String entity,
      double score,
      int alert,
      String topFeature,
      double statistic,
      String event) {

    static List<ScoreRow> parse(List<String> lines) {
      List<String> header = List.of(lines.get(0).split(","));
      List<ScoreRow> rows = new ArrayList<>();
      for (String l : lines.subList(1, lines.size())) {
        String[] v = l.split(",", -1);
        assertThat(v).hasSameSizeAs(header.toArray());
        rows.add(
            new ScoreRow(
                Integer.parseInt(v[header.indexOf("row")]),
                v[header.indexOf("entity")],
                Double.parseDouble(v[header.indexOf("score")]),
                Integer.parseInt(v[header.indexOf("alert")]),
                v[header.indexOf("top_feature")],
                Double.parseDouble(v[header.indexOf("statistic")]),
                v[header.indexOf("event")]));
      }
      return rows;
    }
  }
}
