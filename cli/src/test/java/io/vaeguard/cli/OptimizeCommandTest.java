package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import io.vaeguard.model.scorer.Outputs;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vaeguard optimize} on a small synthetic set-up: a model trained on clean generated data,
 * validated on a labelled day with injected anomalies. One optimize run (with a short speed probe
 * in child JVMs) is shared by the tests, which only read its output.
 */
class OptimizeCommandTest {

  /** F1 points a compressed variant may lose here; the base model's F1 is about 0.5-0.6. */
  private static final double BUDGET = 0.05;

  @TempDir static Path shared;
  private static Path train;
  private static Path test;
  private static Path model;
  private static Path out;
  private static CliRun run;
  private static JsonNode report;
  private static final Map<String, JsonNode> variants = new HashMap<>();

  @BeforeAll
  static void trainAndOptimize() throws IOException {
    train = shared.resolve("train.csv");
    test = shared.resolve("test.csv");
    ok(
        CliRun.of(
            "synth",
            "--entities",
            4,
            "--steps",
            800,
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
            4,
            "--steps",
            600,
            "--anomaly-rate",
            "0.05",
            "--seed",
            "2",
            "--out",
            test));
    model = shared.resolve("model");
    ok(
        CliRun.of(
            "train",
            "--input",
            train,
            "--exclude",
            "anomaly",
            "--epochs",
            "40",
            "--patience",
            "10",
            "--target-far",
            "0.005",
            "--seed",
            "3",
            "--out",
            model));
    out = shared.resolve("optimized");
    run =
        ok(
            CliRun.of(
                "optimize",
                "--model",
                model,
                "--validation",
                test,
                "--label-column",
                "anomaly",
                "--train-data",
                train,
                "--budget",
                BUDGET,
                "--prune",
                "0.5",
                "--fine-tune-epochs",
                "15",
                "--distil-epochs",
                "60",
                "--timing-ms",
                "60",
                "--timing-passes",
                "1",
                "--out",
                out));
    report = new ObjectMapper().readTree(out.resolve("tradeoff.json").toFile());
    for (JsonNode v : report.get("variants")) {
      variants.put(v.get("name").asText(), v);
    }
  }

  @Test
  void writesEveryVariantAsAServableModelDirectoryThatKeepsTheContract() {
    assertThat(variants.keySet())
        .containsExactlyInAnyOrder(
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
    for (JsonNode v : variants.values()) {
      Path dir = out.resolve(v.get("name").asText());
      Precision p = Precision.parse(v.get("precision").asText());
      try (VaeScorer s = VaeScorer.open(dir, p, ScorerOptions.defaults())) {
        ModelCard card = s.card();
        assertThat(card.precision()).isEqualTo(p.id());
        int d = card.inputDim();
        int k = card.latentDim();
        Outputs o = s.forwardNormalised(new float[3 * d], 3);
        assertThat(o.recon()).hasSize(3 * d);
        assertThat(o.mu()).hasSize(3 * k);
        assertThat(o.logvar()).hasSize(3 * k);
        assertThat(card.thresholdRule()).contains("target false-alarm rate 0.005");
        assertThat(card.threshold()).isEqualTo(0.995);
        assertThat(card.detector().errorScale()).hasSize(card.features().size());
        assertThat(card.validation()).containsKey("rawThreshold");
      }
      assertThat(v.get("recordsPerSecond").get("1024").asDouble()).as(v.toString()).isPositive();
      assertThat(v.get("fileBytes").asLong()).isPositive();
    }
  }

  @Test
  void prunedAndDistilledModelsAreSmallerAndStayWithinTheBudget() {
    JsonNode base = variants.get("fp32");
    assertThat(base.get("f1").asDouble()).isGreaterThan(0.3);
    assertThat(base.get("rocAuc").asDouble()).isGreaterThan(0.7);
    assertThat(ModelCards.read(out.resolve("pruned-50/model.json")).hidden())
        .containsExactly(32, 16);
    ModelCard student = ModelCards.read(out.resolve("distilled/model.json"));
    assertThat(student.hidden()).containsExactly(32, 16);
    assertThat(student.latentDim()).isEqualTo(8);
    assertThat(student.training().source()).startsWith("optimize (distilled) on train.csv");
    int within = 0;
    for (String name : List.of("pruned-50", "distilled")) {
      JsonNode v = variants.get(name);
      // The budget is the optimizer's rule: within it exactly when the F1 drop is at most BUDGET.
      assertThat(v.get("withinBudget").asBoolean())
          .as(name)
          .isEqualTo(v.get("f1Drop").asDouble() <= BUDGET);
      within += v.get("withinBudget").asBoolean() ? 1 : 0;
      assertThat(v.get("rocAuc").asDouble())
          .as(name)
          .isGreaterThan(base.get("rocAuc").asDouble() - 0.05);
      // Over mostly normal rows, whose order is noise-level, a retrained net reorders many pairs.
      assertThat(v.get("spearmanVsBaseline").asDouble()).as(name).isGreaterThan(0.5);
      assertThat(v.get("fileBytes").asLong()).isLessThan(base.get("fileBytes").asLong() / 2);
    }
    assertThat(within).as("pruned-50 or distilled within the F1 budget").isPositive();
  }

  @Test
  void staticInt8ScoresLikeFp32() {
    assertThat(variants.get("int8-static").get("spearmanVsBaseline").asDouble())
        .isGreaterThan(0.97);
    assertThat(variants.get("fp16w").get("spearmanVsBaseline").asDouble()).isGreaterThan(0.999);
    assertThat(variants.get("fp32").get("spearmanVsBaseline").asDouble()).isEqualTo(1.0);
  }

  @Test
  void marksOneVariantWithinBudgetToDeployAndCopiesIt() throws IOException {
    String deployed = report.get("deployed").asText();
    JsonNode d = variants.get(deployed);
    assertThat(d.get("deploy").asBoolean()).isTrue();
    assertThat(d.get("withinBudget").asBoolean()).isTrue();
    assertThat(d.get("shownInTable").asBoolean()).isTrue();
    double best = d.get("recordsPerSecond").get("1024").asDouble();
    for (JsonNode v : variants.values()) {
      if (v.get("withinBudget").asBoolean() && v.get("shownInTable").asBoolean()) {
        assertThat(v.get("recordsPerSecond").get("1024").asDouble()).isLessThanOrEqualTo(best);
      }
    }
    assertThat(Files.readString(out.resolve("deploy/model.json")))
        .isEqualTo(Files.readString(out.resolve(deployed).resolve("model.json")));
    String md = Files.readString(out.resolve("tradeoff.md"));
    assertThat(md)
        .contains("| fp32 | fp32 |")
        .contains("**deploy**")
        .contains("Rule: F1 at most 0.05 below");
    assertThat(run.out())
        .contains(md.lines().findFirst().orElseThrow())
        .contains("deploy: " + deployed);
  }

  @Test
  void scoreServesAVariantByItsDirectoryAlone(@TempDir Path tmp) throws IOException {
    Path scores = tmp.resolve("scores.csv");
    CliRun r =
        ok(
            CliRun.of(
                "score",
                "--model",
                out.resolve("pruned-50-int8-static"),
                "--input",
                test,
                "--out",
                scores));
    assertThat(r.out()).contains("int8-static");
    assertThat(Files.readAllLines(scores)).hasSize(4 * 600 + 1);
  }

  @Test
  void refusesABudgetItCannotMeet() {
    CliRun r =
        CliRun.of(
            "optimize",
            "--model",
            model,
            "--validation",
            test,
            "--label-column",
            "anomaly",
            "--budget",
            "-0.01",
            "--out",
            shared.resolve("never"));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("optimize: budget -0.01 cannot be met");
    assertThat(shared.resolve("never")).doesNotExist();

    CliRun c =
        CliRun.of(
            "optimize",
            "--model",
            model,
            "--validation",
            test,
            "--min-rank-correlation",
            "1.5",
            "--out",
            shared.resolve("never"));
    assertThat(c.exitCode()).isEqualTo(2);
    assertThat(c.errLines()).singleElement().asString().contains("cannot be met");
  }

  private static CliRun ok(CliRun r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    return r;
  }
}
