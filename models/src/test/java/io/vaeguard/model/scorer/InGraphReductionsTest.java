package io.vaeguard.model.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import io.vaeguard.model.export.VaeOnnxExporter;
import io.vaeguard.model.quantize.ActivationRanges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * E and KL worked out in the extended ONNX graph (float32) against the Java fallback (doubles), on
 * the shipped default model in every precision and on small test models, over rows near the
 * training distribution and far out.
 *
 * <p>Bounds. Both paths see bit-identical recon, mu and logvar (checked), so the differences are
 * the float32 rounding of the reductions alone:
 *
 * <ul>
 *   <li>E sums D non-negative terms, so its relative error is a few float32 roundings (seen: up to
 *       3e-7): {@code <= 1e-5} relative.
 *   <li>KL sums K terms {@code 1 + logvar - mu^2 - exp(logvar)}, each <= 0 but made of parts that
 *       cancel where a latent unit sits at the prior (mu ~ 0, logvar ~ 0: exp(logvar) ~ 1 +
 *       logvar). float32 rounds each part to about 6e-8 of its size, so the error is bounded by the
 *       size of the parts, not of KL: {@code |dKL| <= 1e-5 * max(KL, 0.5 * sum_k (1 + |logvar| +
 *       mu^2 + exp(logvar)))}. Where KL is not small against its parts (every row of the default
 *       model, KL >= 5 there) that is 1e-5 relative; a row whose latent units all sit at the prior
 *       has a KL near 0 known only to about 1e-7 absolute.
 *   <li>raw = E + klWeight KL inherits both; the score (the calibration of raw) moves by the
 *       calibration's slope times that: {@code <= 1e-5} relative to max(score, its raw move through
 *       the slope) where the map is steep and the score near 0.
 *   <li>alert is identical for rows whose score is more than 1e-6 from the threshold.
 * </ul>
 */
class InGraphReductionsTest {

  private static final Path DEFAULT_MODEL = Path.of("default");
  private static final double REL = 1e-5;

  @TempDir Path tmp;

  @ParameterizedTest(name = "default model, {0}")
  @ValueSource(strings = {"fp32", "int8", "fp16w"})
  void defaultModelGraphMatchesJava(String precision) {
    Precision p = Precision.parse(precision);
    Stats s = compare(DEFAULT_MODEL, p, 0.5, 1, 3, 10, 100, 1000);
    System.out.println("default " + precision + ": " + s);
    // the default model's latent units are all far from the prior: KL is never small there
    assertThat(s.minKl).isGreaterThan(1);
    assertThat(s.worstKlRel).isLessThanOrEqualTo(REL);
  }

  @ParameterizedTest(name = "test model, {0}")
  @ValueSource(strings = {"fp32", "int8", "fp16w", "int8-static"})
  void testModelsGraphMatchesJava(String precision) {
    Precision p = Precision.parse(precision);
    int f = 3;
    int window = 2;
    int d = f * window;
    int latent = 4;
    VaeWeights w = TestModels.randomWeights(21, d, latent, 16, 8);
    Scaler scaler = new Scaler(new double[] {1, -2, 100}, new double[] {0.5, 3, 20});
    ModelCard card = TestModels.card(p, TestModels.features(f), window, latent, scaler, 0.7);
    Path dir = tmp.resolve(precision);
    if (p == Precision.INT8_STATIC) {
      float[] x = TestModels.gaussianRows(22, 500, d);
      float[][] rows = new float[500][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = Arrays.copyOfRange(x, i * d, (i + 1) * d);
      }
      VaeOnnxExporter.writeModelDir(w, p, ActivationRanges.measure(w, rows, 0), card, dir);
    } else {
      TestModels.writeModel(dir, w, p, card);
    }
    Stats s = compare(dir, p, 0.01, 0.3, 1, 3, 30, 300);
    System.out.println("test model " + precision + ": " + s);
    // these have latent units near the prior: rows scaled by 0.01 put KL near its floor
    assertThat(s.minKl).isLessThan(1);
  }

  /**
   * Scores seeded rows (z-scores times each scale, 1000 rows a scale) both ways and asserts the
   * bounds.
   */
  private Stats compare(Path dir, Precision p, double... scales) {
    Stats st = new Stats();
    try (VaeScorer graph = VaeScorer.open(dir, p, ScorerOptions.defaults(), true);
        VaeScorer java = VaeScorer.open(dir, p, ScorerOptions.defaults(), false)) {
      assertThat(graph.reductionsInGraph()).isTrue();
      assertThat(java.reductionsInGraph()).isFalse();
      ModelCard card = graph.card();
      int d = card.inputDim();
      int k = card.latentDim();
      int f = card.features().size();
      Random rnd = new Random(7);
      for (double scale : scales) {
        int n = 1000;
        float[] raw = new float[n * d];
        float[] xn = new float[n * d];
        for (int i = 0; i < raw.length; i++) {
          int c = i % f;
          double z = rnd.nextGaussian() * scale;
          raw[i] = (float) (card.scaler().mean()[c] + card.scaler().std()[c] * z);
          xn[i] = (float) ((raw[i] - card.scaler().mean()[c]) / card.scaler().std()[c]);
        }
        // the extension must not change the model's own outputs: same kernels, same batch
        Outputs og = graph.forwardNormalised(xn, n);
        Outputs oj = java.forwardNormalised(xn, n);
        assertThat(og.recon()).isEqualTo(oj.recon());
        assertThat(og.mu()).isEqualTo(oj.mu());
        assertThat(og.logvar()).isEqualTo(oj.logvar());

        ScoreBatch bg = graph.score(raw, n);
        ScoreBatch bj = java.score(raw, n);
        for (int r = 0; r < n; r++) {
          st.rows++;
          double e = bj.reconstructionError(r);
          double kl = bj.kl(r);
          // the size of KL's parts, 0.5 sum (1 + |logvar| + mu^2 + exp(logvar)): what float32
          // rounds against
          double parts = 0;
          for (int j = 0; j < k; j++) {
            double m = oj.mu(r, j);
            double lv = oj.logvar(r, j);
            parts += 1 + Math.abs(lv) + m * m + Math.exp(lv);
          }
          parts *= 0.5;
          double klScale = Math.max(kl, parts);
          double rawScale = e + card.klWeight() * klScale;
          String row = "row " + r + " at scale " + scale;
          st.worstE = Math.max(st.worstE, rel(bg.reconstructionError(r), e, e));
          st.worstKlRel = Math.max(st.worstKlRel, rel(bg.kl(r), kl, kl));
          st.worstKl = Math.max(st.worstKl, rel(bg.kl(r), kl, klScale));
          st.worstRaw = Math.max(st.worstRaw, rel(bg.rawScore(r), bj.rawScore(r), bj.rawScore(r)));
          st.minKl = Math.min(st.minKl, kl);
          assertThat(rel(bg.reconstructionError(r), e, e)).as("E, " + row).isLessThanOrEqualTo(REL);
          assertThat(rel(bg.kl(r), kl, klScale)).as("KL, " + row).isLessThanOrEqualTo(REL);
          assertThat(rel(bg.rawScore(r), bj.rawScore(r), rawScale))
              .as("raw, " + row)
              .isLessThanOrEqualTo(REL);
          // the score moves by the calibration's slope times raw's move
          double s = bj.score(r);
          st.worstScore = Math.max(st.worstScore, rel(bg.score(r), s, s));
          if (bg.score(r) != s) {
            double rawMove = REL * rawScale;
            double slopeMove =
                Math.max(
                    Math.abs(card.calibration().calibrate(bj.rawScore(r) + rawMove) - s),
                    Math.abs(card.calibration().calibrate(bj.rawScore(r) - rawMove) - s));
            assertThat(Math.abs(bg.score(r) - s))
                .as("score, " + row)
                .isLessThanOrEqualTo(Math.max(REL * s, slopeMove));
          }
          if (Math.abs(s - card.threshold()) > 1e-6) {
            assertThat(bg.alert(r)).as("alert, " + row).isEqualTo(bj.alert(r));
          } else {
            st.nearThreshold++;
          }
          st.alerts += bj.alert(r) ? 1 : 0;
          if (bg.alert(r) || r % 97 == 0) {
            // shares come from recon on both paths: the same doubles
            for (int j = 0; j < f; j++) {
              assertThat(bg.share(r, j)).as("share, " + row).isEqualTo(bj.share(r, j));
            }
          }
        }
      }
    }
    return st;
  }

  private static double rel(double actual, double expected, double scale) {
    if (actual == expected) {
      return 0; // infinities included: far enough out, exp(logvar) overflows doubles too
    }
    return Math.abs(actual - expected) / Math.abs(scale);
  }

  private static final class Stats {
    int rows;
    int alerts;
    int nearThreshold;
    double worstE;
    double worstKl; // against max(KL, its parts)
    double worstKlRel; // against KL itself
    double worstRaw;
    double worstScore;
    double minKl = Double.POSITIVE_INFINITY;

    @Override
    public String toString() {
      return String.format(
          "%d rows (%d alerting, %d within 1e-6 of the threshold); worst relative E %.2e,"
              + " KL %.2e (vs its parts %.2e), raw %.2e, score %.2e; smallest KL %.3g",
          rows, alerts, nearThreshold, worstE, worstKlRel, worstKl, worstRaw, worstScore, minKl);
    }
  }

  // --- the graph itself ---

  @Test
  void extensionKeepsOrtsFusedKernelsForEveryPrecision() throws Exception {
    for (Precision p : List.of(Precision.FP32, Precision.INT8, Precision.FP16W)) {
      byte[] plain = Files.readAllBytes(DEFAULT_MODEL.resolve(p.id()).resolve("model.onnx"));
      assertOptimizedOpsAddOnly(p.id(), plain);
    }
    VaeWeights w = TestModels.randomWeights(11, 8, 4, 32, 16);
    float[] x = TestModels.gaussianRows(12, 300, 8);
    float[][] rows = new float[300][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Arrays.copyOfRange(x, i * 8, (i + 1) * 8);
    }
    byte[] staticInt8 =
        VaeOnnxExporter.export(w, Precision.INT8_STATIC, ActivationRanges.measure(w, rows, 0), "m");
    List<String> ops = assertOptimizedOpsAddOnly("int8-static", staticInt8);
    // as StaticInt8ExportTest finds for the plain model: every layer but the mu head is a QGemm
    assertThat(ops.stream().filter("QGemm"::equals).count()).isEqualTo(6);
  }

  /** ORT's optimized extended graph is its optimized plain graph plus the nodes ScoreGraph adds. */
  private List<String> assertOptimizedOpsAddOnly(String what, byte[] plain) throws Exception {
    ScoreGraph.Augmented a = ScoreGraph.augment(plain);
    List<String> before = optimizedOps(plain, what + "-plain");
    List<String> after = optimizedOps(a.model(), what + "-extended");
    Map<String, Integer> added = new HashMap<>();
    for (String op : after) {
      added.merge(op, 1, Integer::sum);
    }
    for (String op : before) {
      added.merge(op, -1, Integer::sum);
    }
    added.values().removeIf(c -> c == 0);
    assertThat(added)
        .as(what + ": ops added by the extension, after ORT's optimizations")
        .isEqualTo(Map.of("Sub", 3, "ReduceSumSquare", 1, "Mul", 1, "ReduceSum", 1, "Exp", 1));
    return after;
  }

  private List<String> optimizedOps(byte[] model, String name) throws Exception {
    Path out = tmp.resolve(name + ".onnx");
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setOptimizedModelFilePath(out.toString());
      try (OrtSession ignored = OrtEnvironment.getEnvironment().createSession(model, so)) {
        // loading writes the optimized graph
      }
    }
    return ModelProto.parseFrom(Files.readAllBytes(out)).getGraph().getNodeList().stream()
        .map(NodeProto::getOpType)
        .toList();
  }

  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {11, 12, 13, 17, 18, 21})
  void reductionsAreWrittenForTheModelsOpset(int opset) throws Exception {
    // the exporter's fp32 graph (Gemm, Relu) is valid in all of these; only the import changes
    VaeWeights w = TestModels.randomWeights(31, 4, 2, 6);
    ModelCard card =
        TestModels.card(
            Precision.FP32, TestModels.features(4), 1, 2, TestModels.identityScaler(4), 1);
    Path dir = TestModels.writeModel(tmp.resolve("opset" + opset), w, Precision.FP32, card);
    Path onnx = dir.resolve("model.onnx");
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(onnx));
    ModelProto.Builder b =
        m.toBuilder()
            .clearOpsetImport()
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
    Files.write(onnx, b.build().toByteArray());

    ScoreGraph.Augmented a = ScoreGraph.augment(Files.readAllBytes(onnx));
    assertThat(a.opset()).isEqualTo(opset);
    List<NodeProto> nodes = ModelProto.parseFrom(a.model()).getGraph().getNodeList();
    // axes: an input of ReduceSum from opset 13, of ReduceSumSquare from 18; attributes before
    for (String op : List.of("ReduceSum", "ReduceSumSquare")) {
      boolean asInput = opset >= (op.equals("ReduceSum") ? 13 : 18);
      assertThat(nodes.stream().filter(n -> n.getOpType().equals(op)).toList())
          .as(op)
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.getInputCount()).isEqualTo(asInput ? 2 : 1);
                assertThat(
                        n.getAttributeList().stream().anyMatch(at -> at.getName().equals("axes")))
                    .isEqualTo(!asInput);
              });
    }
    float[] raw = TestModels.gaussianRows(32, 50, 4);
    try (VaeScorer g = VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults(), true);
        VaeScorer j = VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults(), false)) {
      assertThat(g.reductionsInGraph()).isTrue();
      ScoreBatch bg = g.score(raw, 50);
      ScoreBatch bj = j.score(raw, 50);
      for (int r = 0; r < 50; r++) {
        assertThat(bg.reconstructionError(r))
            .isCloseTo(
                bj.reconstructionError(r),
                org.assertj.core.data.Offset.offset(REL * bj.reconstructionError(r)));
        assertThat(bg.kl(r))
            .isCloseTo(bj.kl(r), org.assertj.core.data.Offset.offset(REL * Math.max(1, bj.kl(r))));
      }
    }
  }

  @Test
  void newNamesAvoidTheModelsOwn() throws Exception {
    // a model that already uses the prefix: an extra output vaeguard_e, and vaeguard2_ inside it
    VaeWeights w = TestModels.randomWeights(41, 4, 2, 6);
    ModelCard card =
        TestModels.card(
            Precision.FP32, TestModels.features(4), 1, 2, TestModels.identityScaler(4), 1);
    Path dir = TestModels.writeModel(tmp.resolve("names"), w, Precision.FP32, card);
    Path onnx = dir.resolve("model.onnx");
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(onnx));
    var g =
        m.getGraph().toBuilder()
            .addNode(
                NodeProto.newBuilder()
                    .setOpType("Identity")
                    .setName("vaeguard2_x")
                    .addInput("mu")
                    .addOutput("vaeguard_e"))
            .addOutput(m.getGraph().getOutput(1).toBuilder().setName("vaeguard_e"));
    Files.write(onnx, m.toBuilder().setGraph(g).build().toByteArray());

    ScoreGraph.Augmented a = ScoreGraph.augment(Files.readAllBytes(onnx));
    assertThat(a.sqsumOutput()).isEqualTo("vaeguard3_sqsum");
    assertThat(a.klsumOutput()).isEqualTo("vaeguard3_klsum");
    try (VaeScorer s = VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults(), true)) {
      assertThat(s.reductionsInGraph()).isTrue();
      assertThat(s.score(TestModels.gaussianRows(1, 3, 4), 3).reconstructionError(2)).isPositive();
    }
  }

  @Test
  void graphsItCannotExtendAreNamed() throws Exception {
    VaeWeights w = TestModels.randomWeights(51, 4, 2, 6);
    byte[] plain = VaeOnnxExporter.export(w, Precision.FP32, "m");
    ModelProto m = ModelProto.parseFrom(plain);

    ModelProto old =
        m.toBuilder()
            .clearOpsetImport()
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(6))
            .build();
    assertUnsupported(old.toByteArray(), "default-domain opset 6 is older than 7");

    ModelProto noLogvar = m.toBuilder().setGraph(m.getGraph().toBuilder().removeOutput(2)).build();
    assertUnsupported(noLogvar.toByteArray(), "the graph has no output named logvar");

    var external =
        m.getGraph().getInitializer(0).toBuilder()
            .setDataLocation(ai.onnx.proto.OnnxMl.TensorProto.DataLocation.EXTERNAL);
    ModelProto ext =
        m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, external)).build();
    assertUnsupported(ext.toByteArray(), "is stored in an external file");

    assertUnsupported(
        "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "not a readable ONNX model");
  }

  private static void assertUnsupported(byte[] model, String why) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScoreGraph.augment(model))
        .isInstanceOf(ScoreGraph.Unsupported.class)
        .hasMessageContaining(why);
  }

  @Test
  void aGraphThatFailsTheChecksFallsBackToJava() throws Exception {
    // Reshape to a fixed [1, 2]: loads and passes the one-row contract probe, but the scorer's own
    // check of the extension runs 4 rows, which this graph cannot: the scorer falls back, and
    // scores one row in Java as it did before the extension existed.
    var g =
        new io.vaeguard.model.export.OnnxGraphBuilder()
            .input("x", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, "N", 2);
    g.int64Initializer("one_row", new long[] {1, 2}, 2);
    g.node("Reshape", List.of("x", "one_row"), List.of("recon"));
    g.node("Identity", List.of("recon"), List.of("mu"));
    g.node("Identity", List.of("recon"), List.of("logvar"));
    for (String o : List.of("recon", "mu", "logvar")) {
      g.output(o, ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, "N", 2);
    }
    Path dir = Files.createDirectories(tmp.resolve("fixed"));
    Files.write(dir.resolve(ModelCard.ONNX_FILE), g.toBytes("fixed", "test"));
    ModelCard card =
        TestModels.card(
            Precision.FP32, TestModels.features(2), 1, 2, TestModels.identityScaler(2), 1);
    io.vaeguard.model.card.ModelCards.write(card, dir.resolve(ModelCard.CARD_FILE));
    try (VaeScorer s = VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults())) {
      assertThat(s.reductionsInGraph()).isFalse();
      ScoreBatch b = s.score(new float[] {1, 2}, 1);
      // recon = x: E = 0; mu = logvar = (1, 2): KL = -0.5 ((1 + 1 - 1 - e) + (1 + 2 - 4 - e^2))
      assertThat(b.reconstructionError(0)).isZero();
      assertThat(b.kl(0)).isEqualTo(-0.5 * ((1 + 1 - 1 - Math.exp(1)) + (1 + 2 - 4 - Math.exp(2))));
    }
  }
}
