package io.vaeguard.model.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {

  @TempDir Path dir;

  /** A fitter that records what it was given and writes a small random model of those features. */
  static final class RecordingFitter implements Backtest.ModelFitter {
    final List<String> names = new ArrayList<>();
    final List<List<String>> features = new ArrayList<>();
    final List<Integer> rows = new ArrayList<>();
    final List<Path> dirs = new ArrayList<>();

    @Override
    public int fit(
        String name, String source, List<String> f, List<double[][]> segments, Path modelDir) {
      names.add(name);
      features.add(f);
      rows.add(segments.stream().mapToInt(s -> s.length).sum());
      dirs.add(modelDir);
      writeModel(modelDir, f);
      return 7;
    }
  }

  /** One plot request. */
  record Plot(Path png, String title, int[] rows, double threshold) {}

  static void writeModel(Path modelDir, List<String> features) {
    int d = features.size();
    ModelCard card =
        TestModels.card(Precision.FP32, features, 1, 2, TestModels.identityScaler(d), 0.1);
    TestModels.writeModel(modelDir, TestModels.randomWeights(3, d, 2, 4), Precision.FP32, card);
  }

  /**
   * {@code n} rows of time, a, b, [changepoint,] [entity,] label; rows 45.. of each entity
   * anomalous.
   */
  private Path csv(String name, int n, boolean changepoint, boolean entities) throws IOException {
    Random r = new Random(1);
    StringBuilder b =
        new StringBuilder(
            "time,a,b"
                + (changepoint ? ",changepoint" : "")
                + (entities ? ",entity" : "")
                + ",label\n");
    for (int i = 0; i < n; i++) {
      int label = i % 60 >= 45 ? 1 : 0;
      b.append(1_700_000_000L + i)
          .append(',')
          .append(r.nextGaussian() + 5 * label)
          .append(',')
          .append(r.nextGaussian());
      if (changepoint) {
        b.append(',').append(label);
      }
      if (entities) {
        b.append(',').append(i % 2 == 0 ? "pump-1" : "pump-2");
      }
      b.append(',').append(label).append('\n');
    }
    Path file = dir.resolve("data").resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, b);
  }

  private static CsvOptions.Builder options(Path file) {
    return CsvOptions.builder()
        .timeColumn("time")
        .entityColumn(file.getFileName().toString().startsWith("two") ? "entity" : null);
  }

  @Test
  void fitsOnTheFirstRowsAndMeasuresOnlyTheRest() throws IOException {
    Path file = csv("valve 1.csv", 60, true, false);
    RecordingFitter fitter = new RecordingFitter();
    List<Plot> plots = new ArrayList<>();
    Path out = dir.resolve("out");
    Backtest backtest =
        new Backtest(
            BacktestTest::options,
            fitter,
            Precision.FP32,
            "label",
            List.of("changepoint"),
            40,
            out,
            (png, title, table, rows, scores, threshold) ->
                plots.add(new Plot(png, title, rows, threshold)));

    Backtest.FileResult r = backtest.run(file, "valve 1.csv");

    assertThat(fitter.names).containsExactly("valve_1");
    assertThat(fitter.rows).containsExactly(40);
    assertThat(fitter.features)
        .containsExactly(List.of("a", "b")); // label and the excluded column left out
    assertThat(fitter.dirs).containsExactly(out.resolve("models").resolve("valve_1"));
    assertThat(r.epochs()).isEqualTo(7);
    assertThat(r.name()).isEqualTo("valve 1.csv");
    assertThat(r.metrics().total()).isEqualTo(20);
    assertThat(r.testLabels()).hasSize(20);
    assertThat(Arrays.stream(r.testLabels()).sum()).isEqualTo(15); // rows 45..59
    assertThat(r.testScores()).hasSize(20);
    assertThat(Arrays.stream(r.testScores()).allMatch(s -> s >= 0 && s <= 1)).isTrue();

    ModelCard card = ModelCards.read(out.resolve("models/valve_1").resolve(ModelCard.CARD_FILE));
    assertThat(plots)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.png()).isEqualTo(out.resolve("plots/valve_1.png"));
              assertThat(p.rows()).isNull();
              assertThat(p.title())
                  .startsWith("valve 1.csv: F1 ")
                  .endsWith("(trained on rows 0-39)");
              assertThat(p.threshold()).isEqualTo(card.calibration().rawAt(card.threshold()));
            });
  }

  @Test
  void aFileWithoutTheExcludedColumnIsFineAndAnEntityColumnGivesOnePlotPerEntity()
      throws IOException {
    Path file = csv("two pumps.csv", 120, false, true);
    RecordingFitter fitter = new RecordingFitter();
    List<Plot> plots = new ArrayList<>();
    Path out = dir.resolve("out");
    Backtest backtest =
        new Backtest(
            BacktestTest::options,
            fitter,
            Precision.FP32,
            "label",
            List.of("changepoint"),
            40,
            out,
            (png, title, table, rows, scores, threshold) ->
                plots.add(new Plot(png, title, rows, threshold)));

    Backtest.FileResult r = backtest.run(file, "two pumps.csv");

    assertThat(fitter.features).containsExactly(List.of("a", "b"));
    assertThat(fitter.rows).containsExactly(40); // 20 rows of each entity
    assertThat(r.metrics().total()).isEqualTo(80);
    assertThat(plots)
        .extracting(Plot::png)
        .containsExactly(
            out.resolve("plots/two_pumps/pump-1.png"), out.resolve("plots/two_pumps/pump-2.png"));
    assertThat(plots.get(0).rows()).hasSize(60);
    assertThat(Arrays.stream(plots.get(0).rows()).allMatch(i -> i % 2 == 0)).isTrue();
    assertThat(plots.get(1).title()).endsWith(" - pump-2");
  }

  @Test
  void oneGivenModelScoresEveryFileWithoutFittingAndReadsOnlyItsFeatures() throws IOException {
    Path model = dir.resolve("model");
    writeModel(model, List.of("b", "a")); // the model's order, not the file's
    Path file = csv("valve 2.csv", 60, true, false);
    Backtest.ModelFitter never =
        (name, source, features, segments, modelDir) -> {
          throw new AssertionError("a backtest with a given model fitted one");
        };
    List<CsvTable> tables = new ArrayList<>();
    Backtest backtest =
        new Backtest(
                BacktestTest::options,
                never,
                Precision.FP32,
                "label",
                List.of("changepoint"),
                10,
                dir.resolve("out"),
                (png, title, table, rows, scores, threshold) -> tables.add(table))
            .withModel(model);

    Backtest.FileResult r = backtest.run(file, "valve 2.csv");

    assertThat(r.epochs()).isZero();
    assertThat(r.metrics().total()).isEqualTo(50);
    assertThat(tables)
        .singleElement()
        .satisfies(t -> assertThat(t.features()).containsExactly("b", "a"));
    assertThat(dir.resolve("out/models")).doesNotExist();
  }

  @Test
  void noRowsLeftToTestIsAnErrorNamingTheFile() throws IOException {
    Path file = csv("short.csv", 30, false, false);
    Backtest backtest =
        new Backtest(
            BacktestTest::options,
            new RecordingFitter(),
            Precision.FP32,
            "label",
            List.of(),
            30,
            dir.resolve("out"),
            null);

    assertThatThrownBy(() -> backtest.run(file, "short.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file + " has 30 data rows: --train-rows 30 leaves none to test");
  }
}
