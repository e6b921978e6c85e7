package io.vaeguard.train.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vaeguard.model.Precision;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import io.vaeguard.model.card.Scaler;
import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.detect.DetectorOptions;
import io.vaeguard.model.detect.Statistic;
import io.vaeguard.model.export.OnnxWeightsReader;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.train.ModelBuilder;
import io.vaeguard.train.TrainConfig;
import io.vaeguard.train.TrainListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerTest {

  @TempDir Path dir;

  private static Optimizer.Settings settings(
      double budget, double minRankCorrelation, int timingMillis, int passes) {
    return new Optimizer.Settings(
        List.of(0.5),
        2,
        List.of(),
        0,
        2,
        1.0,
        budget,
        minRankCorrelation,
        timingMillis,
        passes,
        ScorerOptions.defaults(),
        5);
  }

  private static Variant variant(
      String name,
      String parent,
      Precision p,
      long bytes,
      double f1,
      double spearman,
      double rps1024) {
    Variant v = new Variant(name, parent, p, Path.of(name), List.of(8), 2, bytes, "test");
    v.f1 = f1;
    v.spearman = spearman;
    if (!Double.isNaN(rps1024)) {
      v.recordsPerSecond =
          new LinkedHashMap<>(Map.of(1, rps1024 / 10, 64, rps1024 / 2, 1024, rps1024));
    }
    return v;
  }

  @Test
  void withLabelsTheFastestVariantWithinTheF1BudgetIsDeployed() {
    List<Variant> vs =
        List.of(
            variant("fp32", null, Precision.FP32, 4000, 0.80, 1, 100),
            variant("fp16w", "fp32", Precision.FP16W, 2000, 0.79, 0.99, 110),
            variant(
                "int8",
                "fp32",
                Precision.INT8,
                1000,
                0.70,
                0.9,
                400), // fastest, but 0.10 below fp32's F1
            variant(
                "int8-static",
                "fp32",
                Precision.INT8_STATIC,
                1000,
                0.80,
                0.99,
                90), // slower than fp32
            variant("pruned-50", null, Precision.FP32, 2000, 0.78, 0.98, 200),
            variant(
                "pruned-50-int8",
                "pruned-50",
                Precision.INT8,
                600,
                0.79,
                0.97,
                150)); // slower than its parent

    Optimizer.Report r = DeploymentRule.decide(vs, true, settings(0.05, 0.9, 100, 1));

    assertThat(r.deployed().name()).isEqualTo("pruned-50");
    assertThat(r.labelled()).isTrue();
    assertThat(r.rule()).startsWith("F1 at most 0.05 below the baseline's (fp32)");
    assertThat(vs).filteredOn(v -> v.deploy).extracting(Variant::name).containsExactly("pruned-50");
    assertThat(vs.get(2).withinBudget).isFalse();
    assertThat(vs.get(2).f1Drop).isCloseTo(0.10, within(1e-9));
    assertThat(vs)
        .filteredOn(v -> !v.shownInTable)
        .extracting(Variant::name)
        .containsExactly("int8-static", "pruned-50-int8");
    assertThat(vs.get(1).shownInTable).as("fp16w is always shown").isTrue();

    String table = TradeoffTable.markdown(r, 0.05);
    assertThat(table)
        .contains("| pruned-50 | fp32 |", "**deploy**")
        .contains(
            "Not shown, no faster than the float model they quantize: int8-static (90 records/s at b1024), "
                + "pruned-50-int8 (150 records/s at b1024)")
        .doesNotContain("| int8-static |");
  }

  @Test
  void withoutLabelsOrTimingTheSmallestVariantCorrelatedEnoughIsDeployed() {
    List<Variant> vs =
        List.of(
            variant("fp32", null, Precision.FP32, 4000, Double.NaN, 1, Double.NaN),
            variant("int8", "fp32", Precision.INT8, 1000, Double.NaN, 0.95, Double.NaN),
            variant(
                "int8-static", "fp32", Precision.INT8_STATIC, 900, Double.NaN, 0.80, Double.NaN));

    Optimizer.Report r = DeploymentRule.decide(vs, false, settings(0.05, 0.9, 0, 1));

    assertThat(r.deployed().name()).isEqualTo("int8");
    assertThat(vs).allMatch(v -> v.shownInTable); // nothing hidden without speed figures
    assertThat(vs.get(2).withinBudget).isFalse();
    assertThat(r.rule())
        .startsWith("Spearman correlation with the baseline's (fp32) raw scores >= 0.9");

    assertThat(
            DeploymentRule.decide(
                    List.of(variant("fp32", null, Precision.FP32, 4000, Double.NaN, 1, Double.NaN)),
                    false,
                    settings(0.05, 1.5, 0, 1))
                .deployed())
        .as("no variant meets an impossible budget")
        .isNull();
  }

  @Test
  void eachSpeedFigureIsTheBestOfItsPassesWhichGoOverAllVariantsInTurn() {
    List<String> calls = new ArrayList<>();
    double[] perPass = {100, 300, 200};
    int[] call = {0};
    Optimizer.SpeedMeasure probe =
        (d, p, s, millis) -> {
          calls.add(d.toString() + "@" + millis);
          double base = perPass[call[0]++ / 2];
          Map<Integer, Double> m = new LinkedHashMap<>();
          for (int b : Optimizer.SPEED_BATCHES) {
            m.put(b, base * b + (d.toString().equals("b") ? 1 : 0));
          }
          return m;
        };
    StringWriter log = new StringWriter();
    Optimizer o =
        new Optimizer(
            null,
            null,
            Precision.FP32,
            settings(0.05, 0.9, 250, 3),
            probe,
            dir,
            new PrintWriter(log));
    List<Variant> vs =
        List.of(
            variant("a", null, Precision.FP32, 1, 0, 1, Double.NaN),
            variant("b", null, Precision.FP32, 1, 0, 1, Double.NaN));

    o.measureSpeed(vs);

    assertThat(calls).containsExactly("a@250", "b@250", "a@250", "b@250", "a@250", "b@250");
    assertThat(vs.get(0).rps(1024)).isEqualTo(300.0 * 1024);
    assertThat(vs.get(1).rps(1)).isEqualTo(301.0);
    assertThat(log.toString()).contains("speed pass 3 b");
  }

  @Test
  void fittingWindowsAreStandardisedFeatureByFeatureAcrossTheWindow() {
    Scaler scaler = new Scaler(new double[] {10, 0}, new double[] {2, 4});
    float[][] rows = Optimizer.normalise(new double[][] {{12, 4, 8, -8}}, scaler);
    assertThat(rows[0]).containsExactly(1f, 1f, -1f, -2f);
  }

  /** Two entities of 4 channels driven by 2 factors plus noise. */
  private static double[][] entity(long seed, int n, double offset) {
    Random r = new Random(seed);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      double a = Math.sin(i / 30.0) + 0.3 * r.nextGaussian();
      double b = Math.cos(i / 50.0) + 0.3 * r.nextGaussian();
      rows[i] =
          new double[] {
            offset + 10 * a + 0.2 * r.nextGaussian(),
            5 * b + 0.2 * r.nextGaussian(),
            100 + 3 * (a + b) + 0.2 * r.nextGaussian(),
            2 * a - b + 0.1 * r.nextGaussian()
          };
    }
    return rows;
  }

  @Test
  void buildsEveryVariantAsAServableDirectoryAndDeploysTheFastestWithinBudget() throws Exception {
    double[][] normal = entity(1, 600, 50);
    ModelBuilder.build(
        new ModelBuilder.Request(
            "opt-test",
            "7",
            "unit test",
            List.of("a", "b", "c", "d"),
            List.<double[][]>of(normal),
            1,
            TrainConfig.builder().hidden(16, 8).latent(2).epochs(5).seed(5).build(),
            new DetectorOptions(Statistic.MAX_STANDARDISED, 0.2, 0.01, 2, 10, 0),
            0.0,
            Set.of(Precision.FP32)),
        dir.resolve("base"),
        TrainListener.NONE);
    Path baseDir = dir.resolve("base").resolve("fp32");
    ModelCard card = ModelCards.read(baseDir.resolve(ModelCard.CARD_FILE));
    VaeWeights weights = OnnxWeightsReader.read(baseDir.resolve(ModelCard.ONNX_FILE));

    // validation: 200 normal rows, then 50 with the first channel shifted far off
    double[][] valid = entity(2, 250, 50);
    StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
    for (int i = 0; i < valid.length; i++) {
      boolean anomalous = i >= 200;
      csv.append(valid[i][0] + (anomalous ? 60 : 0))
          .append(',')
          .append(valid[i][1])
          .append(',')
          .append(valid[i][2])
          .append(',')
          .append(valid[i][3])
          .append(',')
          .append(anomalous ? 1 : 0)
          .append('\n');
    }
    Path file = Files.writeString(dir.resolve("valid.csv"), csv);
    CsvTable table =
        CsvTable.read(
            file, CsvOptions.builder().features(card.features()).labelColumn("label").build());

    // a stand-in for the child-JVM probe: the distilled student's int8 is the fastest, static int8
    // never faster
    Optimizer.SpeedMeasure probe =
        (d, p, s, millis) -> {
          String name = d.getFileName().toString();
          double rps =
              name.equals("distilled-int8")
                  ? 5000
                  : name.endsWith("-static") ? 10 : 100 + name.length();
          Map<Integer, Double> m = new LinkedHashMap<>();
          Arrays.stream(Optimizer.SPEED_BATCHES).forEach(b -> m.put(b, rps));
          return m;
        };
    StringWriter log = new StringWriter();
    Path out = dir.resolve("out");
    Optimizer.Report r =
        new Optimizer(
                card,
                weights,
                Precision.FP32,
                settings(1.0, 0, 50, 1),
                probe,
                out,
                new PrintWriter(log))
            .run(new Optimizer.Rows(table, normal, "entity 1"));

    assertThat(r.variants())
        .extracting(Variant::name)
        .containsExactly(
            "fp32",
            "fp16w",
            "int8",
            "int8-static",
            "pruned-50",
            "pruned-50-int8",
            "pruned-50-int8-static",
            "distilled",
            "distilled-int8",
            "distilled-int8-static");
    for (Variant v : r.variants()) {
      ModelCard c = ModelCards.read(out.resolve(v.name()).resolve(ModelCard.CARD_FILE));
      assertThat(c.version()).isEqualTo("7+" + v.name());
      assertThat(c.precision()).isEqualTo(v.precision().id());
      assertThat(out.resolve(v.name()).resolve(ModelCard.ONNX_FILE)).isRegularFile();
    }
    assertThat(r.variants().get(4).hidden())
        .as("half of each hidden layer pruned")
        .containsExactly(8, 4);
    assertThat(r.variants().get(7).hidden())
        .as("the student is half the base by default")
        .containsExactly(8, 4);
    assertThat(r.variants().get(0).spearman()).isEqualTo(1.0);
    assertThat(r.variants().get(1).spearman())
        .as("fp16 weights rank rows as fp32 does")
        .isGreaterThan(0.99);
    assertThat(r.variants().get(0).f1()).isBetween(0.0, 1.0);
    assertThat(r.labelled()).isTrue();
    assertThat(r.deployed().name()).isEqualTo("distilled-int8");
    assertThat(r.variants())
        .filteredOn(v -> v.name().endsWith("-static"))
        .allMatch(v -> !v.shownInTable);

    TradeoffTable.write(r, out, Map.of("command", "test"), 1.0);
    assertThat(Files.readString(out.resolve(TradeoffTable.JSON)))
        .contains("\"deployed\" : \"distilled-int8\"");
    assertThat(log.toString()).contains("baseline opt-test (fp32, hidden [16, 8], latent 2)");
  }
}
