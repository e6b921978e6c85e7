package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's mistake (a bad file, flag or value) ends the run with exit code 2 and exactly one line
 * on standard error, {@code VERB: message}, that names what to fix; never a stack trace.
 */
class CliErrorsTest {

  /** A small fp32 model on columns a, b, c, shared read-only by the score tests. */
  @TempDir static Path shared;

  private static Path model;

  @BeforeAll
  static void trainModel() throws IOException {
    Path csv = write(shared.resolve("normal.csv"), rows(60));
    model = shared.resolve("model");
    CliRun r =
        CliRun.of("train", "--input", csv, "--epochs", "2", "--precision", "fp32", "--out", model);
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  @Test
  void missingInputFile(@TempDir Path dir) {
    Path missing = dir.resolve("nowhere.csv");

    CliRun r = CliRun.of("train", "--input", missing, "--out", dir.resolve("m"));

    assertUserError(r, "train", "no such file", missing.toString());
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void unparsableNumberNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
    List<String> lines = rows(60);
    lines.set(4, "0.1,abc,0.3"); // data row 3: the header is line 1, so this is line 5
    Path csv = write(dir.resolve("broken.csv"), lines);

    CliRun r = CliRun.of("train", "--input", csv, "--epochs", "2", "--out", dir.resolve("m"));

    assertUserError(r, "train", csv.toString(), "line 5", "'b'", "abc");
  }

  @Test
  void nanValueNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
    List<String> lines = rows(60);
    lines.set(9, "0.1,0.2,NaN");
    Path csv = write(dir.resolve("nan.csv"), lines);

    CliRun r = CliRun.of("train", "--input", csv, "--epochs", "2", "--out", dir.resolve("m"));

    assertUserError(r, "train", csv.toString(), "line 10", "'c'", "NaN");
  }

  @Test
  void unknownFeatureListsTheColumns(@TempDir Path dir) throws IOException {
    Path csv = write(dir.resolve("data.csv"), rows(60));

    CliRun r =
        CliRun.of("train", "--input", csv, "--features", "a,pressure", "--out", dir.resolve("m"));

    assertUserError(r, "train", "'pressure'", csv.toString(), "a, b, c");
  }

  @Test
  void tooFewRowsToTrain(@TempDir Path dir) throws IOException {
    Path csv = write(dir.resolve("tiny.csv"), rows(5));

    CliRun r = CliRun.of("train", "--input", csv, "--epochs", "2", "--out", dir.resolve("m"));

    assertUserError(r, "train", "too few rows", "tiny.csv", "1 full windows of 5 row(s)", "20");
  }

  @Test
  void badRowsSyntaxNamesTheFlag(@TempDir Path dir) throws IOException {
    Path csv = write(dir.resolve("data.csv"), rows(60));

    CliRun train = CliRun.of("train", "--input", csv, "--rows", "10-50", "--out", dir.resolve("m"));
    CliRun score =
        CliRun.of(
            "score",
            "--model",
            model,
            "--input",
            csv,
            "--rows",
            "x:",
            "--out",
            dir.resolve("s.csv"));

    assertUserError(train, "train", "--rows", "'10-50'", "FROM:TO");
    assertUserError(score, "score", "--rows", "'x:'");
    assertThat(dir.resolve("s.csv")).doesNotExist();
  }

  @Test
  void bogusPrecisionListsTheValidChoices(@TempDir Path dir) throws IOException {
    Path csv = write(dir.resolve("data.csv"), rows(60));

    CliRun score =
        CliRun.of(
            "score",
            "--model",
            model,
            "--precision",
            "bogus",
            "--input",
            csv,
            "--out",
            dir.resolve("s.csv"));
    CliRun train =
        CliRun.of(
            "train",
            "--input",
            csv,
            "--precision",
            "fp32,bogus",
            "--epochs",
            "2",
            "--out",
            dir.resolve("m"));

    assertUserError(score, "score", "'bogus'", "fp32, int8, fp16w");
    assertUserError(train, "train", "'bogus'", "fp32, int8, fp16w");
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void modelDirectoryWithoutAModel(@TempDir Path dir) throws IOException {
    Path csv = write(dir.resolve("data.csv"), rows(60));
    Path empty = Files.createDirectory(dir.resolve("empty-model"));

    CliRun r = CliRun.of("score", "--model", empty, "--input", csv, "--out", dir.resolve("s.csv"));

    assertUserError(r, "score", "no model", empty.toString(), "model.json");
    assertThat(dir.resolve("s.csv")).doesNotExist();
  }

  @Test
  void scoringACsvWithoutOneOfTheModelsFeatures(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String l : rows(60)) {
      lines.add(l.substring(0, l.lastIndexOf(','))); // drop column c
    }
    Path csv = write(dir.resolve("no-c.csv"), lines);

    CliRun r = CliRun.of("score", "--model", model, "--input", csv, "--out", dir.resolve("s.csv"));

    assertUserError(
        r, "score", csv.toString(), "lacks the model's feature column(s) c", "columns are: a, b");
    assertThat(dir.resolve("s.csv")).doesNotExist();
  }

  @Test
  void evaluateWithoutALabelledCsv(@TempDir Path dir) throws IOException {
    Path data = Files.createDirectory(dir.resolve("data"));
    write(data.resolve("unlabelled.csv"), rows(60));

    CliRun r =
        CliRun.of(
            "evaluate",
            "--data",
            data,
            "--label-column",
            "anomaly",
            "--train-rows",
            "30",
            "--out",
            dir.resolve("eval"));

    assertUserError(r, "evaluate", data.toString(), "'anomaly'");
  }

  @Test
  void unparsableFlagValueNamesTheFlag(@TempDir Path dir) throws IOException {
    Path csv = write(dir.resolve("data.csv"), rows(60));

    CliRun r = CliRun.of("train", "--input", csv, "--epochs", "many", "--out", dir.resolve("m"));

    assertUserError(r, "train", "--epochs", "'many'");
  }

  @Test
  void unknownFlagSuggestsTheNearestOne(@TempDir Path dir) throws IOException {
    Path csv = write(dir.resolve("data.csv"), rows(60));

    CliRun r = CliRun.of("train", "--input", csv, "--epoch", "5", "--out", dir.resolve("m"));

    assertUserError(r, "train", "'--epoch'", "--epochs", "vaeguard train --help");
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void missingRequiredFlag(@TempDir Path dir) throws IOException {
    Path csv = write(dir.resolve("data.csv"), rows(60));

    CliRun r = CliRun.of("train", "--input", csv);

    assertUserError(r, "train", "--out");
  }

  private static void assertUserError(CliRun r, String verb, String... mentions) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.errLines().get(0))
        .as(r.toString())
        .startsWith(verb + ": ")
        .contains(mentions)
        .doesNotContain("at io.", "Exception");
  }

  /** Header {@code a,b,c} and {@code n} rows of smooth, correlated signals. */
  private static List<String> rows(int n) {
    List<String> lines = new ArrayList<>();
    lines.add("a,b,c");
    for (int i = 0; i < n; i++) {
      double a = Math.sin(i / 5.0);
      double b = Math.cos(i / 7.0);
      lines.add(
          String.format(Locale.ROOT, "%.5f,%.5f,%.5f", a, b, 0.5 * a - 0.3 * b + 0.01 * (i % 3)));
    }
    return lines;
  }

  private static Path write(Path file, List<String> lines) throws IOException {
    return Files.write(file, lines);
  }
}
