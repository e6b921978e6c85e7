package io.vaeguard.model.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import io.vaeguard.model.export.OnnxGraphBuilder;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading refuses models that break the contract or their card, and says what is wrong. */
class ModelContractTest {

  private static final String N = OnnxGraphBuilder.BATCH;

  @TempDir Path tmp;

  private static ModelCard card(Precision p, int features, int window, int latent) {
    return TestModels.card(
        p, TestModels.features(features), window, latent, TestModels.identityScaler(features), 1);
  }

  private static VaeWeights weights(int d, int k) {
    return TestModels.randomWeights(7, d, k, 6);
  }

  /** A model directory with the card and the given ONNX bytes. */
  private Path dirWith(ModelCard card, byte[] onnx) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("m"));
    Files.write(dir.resolve(ModelCard.ONNX_FILE), onnx);
    ModelCards.write(card, dir.resolve(ModelCard.CARD_FILE));
    return dir;
  }

  @Test
  void cardInputWidthMustMatchTheOnnxInput() {
    Path dir = tmp.resolve("m");
    TestModels.writeModel(dir, weights(4, 2), Precision.FP32, card(Precision.FP32, 4, 1, 2));
    // the card is replaced by one that promises 2 features x window 3 = 6 inputs
    ModelCards.write(card(Precision.FP32, 2, 3, 2), dir.resolve(ModelCard.CARD_FILE));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "model.json says 6 inputs (2 features x window 3) but model.onnx input x has 4");
  }

  @Test
  void cardLatentSizeMustMatchMu() {
    Path dir = tmp.resolve("m");
    TestModels.writeModel(dir, weights(4, 2), Precision.FP32, card(Precision.FP32, 4, 1, 2));
    ModelCards.write(card(Precision.FP32, 4, 1, 8), dir.resolve(ModelCard.CARD_FILE));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latentDim 8 in card but mu has 2");
  }

  /** x [N,2] -> Identity -> each output name; a graph that is VAE-shaped only by its names. */
  private static byte[] identityGraph(String input, DataType inputType, String... outputs) {
    OnnxGraphBuilder g = new OnnxGraphBuilder().input(input, inputType, N, 2);
    String src = input;
    if (inputType != DataType.FLOAT) {
      src = g.node("Cast", List.of(input), List.of("xf"), "to", DataType.FLOAT.getNumber());
    }
    for (String o : outputs) {
      g.node("Identity", List.of(src), List.of(o));
      g.output(o, DataType.FLOAT, N, 2);
    }
    return g.toBytes("fake", "test");
  }

  @Test
  void missingOutputIsNamedWithTheOutputsThatExist() throws IOException {
    Path dir =
        dirWith(
            card(Precision.FP32, 2, 1, 2), identityGraph("x", DataType.FLOAT, "recon", "mu", "z"));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.onnx has no output 'logvar' (outputs: recon, mu, z)");
  }

  @Test
  void wrongInputName() throws IOException {
    Path dir =
        dirWith(
            card(Precision.FP32, 2, 1, 2),
            identityGraph("input", DataType.FLOAT, "recon", "mu", "logvar"));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .hasMessageContaining("model.onnx has no input 'x' (inputs: input)");
  }

  @Test
  void nonFloatInput() throws IOException {
    Path dir =
        dirWith(
            card(Precision.FP32, 2, 1, 2),
            identityGraph("x", DataType.INT64, "recon", "mu", "logvar"));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .hasMessageContaining("model.onnx input x is int64; the contract needs float");
  }

  @Test
  void aGraphThatMeetsTheContractLoads() throws IOException {
    // the positive control for the graphs above: same builder, right names
    Path dir =
        dirWith(
            card(Precision.FP32, 2, 1, 2),
            identityGraph("x", DataType.FLOAT, "recon", "mu", "logvar"));
    try (VaeScorer s = VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults())) {
      assertThat(s.forwardNormalised(new float[] {1, 2}, 1).mu()).containsExactly(1, 2);
    }
  }

  @Test
  void aCorruptOnnxFileIsAClearLoadError() throws IOException {
    Path dir =
        dirWith(
            card(Precision.FP32, 2, 1, 2),
            "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ONNX Runtime cannot load model.onnx in " + dir);
  }

  @Test
  void missingCardNamesThePath() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("m"));
    Files.write(
        dir.resolve(ModelCard.ONNX_FILE),
        identityGraph("x", DataType.FLOAT, "recon", "mu", "logvar"));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model card missing: " + dir.resolve("model.json"));
  }

  @Test
  void missingOnnxNamesThePath() {
    Path dir = tmp.resolve("m");
    ModelCards.write(card(Precision.FP32, 2, 1, 2), dir.resolve(ModelCard.CARD_FILE));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .hasMessageContaining("ONNX model missing: " + dir.resolve("model.onnx"));
  }

  @Test
  void missingDirectory() {
    Path dir = tmp.resolve("nowhere");
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults()))
        .hasMessage("no such directory: " + dir);
  }

  @Test
  void precisionSubdirectoriesAreResolved() {
    VaeWeights w = weights(4, 2);
    Path parent = tmp.resolve("models");
    TestModels.writeModel(parent.resolve("fp32"), w, Precision.FP32, card(Precision.FP32, 4, 1, 2));
    TestModels.writeModel(parent.resolve("int8"), w, Precision.INT8, card(Precision.INT8, 4, 1, 2));
    try (VaeScorer s = VaeScorer.open(parent, Precision.INT8, ScorerOptions.defaults())) {
      assertThat(s.card().precision()).isEqualTo("int8");
    }
    try (VaeScorer s = VaeScorer.open(parent, Precision.FP32, ScorerOptions.defaults())) {
      assertThat(s.card().precision()).isEqualTo("fp32");
    }
    assertThatThrownBy(() -> VaeScorer.open(parent, Precision.FP16W, ScorerOptions.defaults()))
        .hasMessageContaining(parent.resolve("fp16w").toString())
        .hasMessageContaining("precision sub-directories present: fp32, int8");
  }

  @Test
  void cardPrecisionMustBeTheOneAskedFor() {
    Path dir =
        TestModels.writeModel(
            tmp.resolve("m"), weights(4, 2), Precision.FP32, card(Precision.FP32, 4, 1, 2));
    assertThatThrownBy(() -> VaeScorer.open(dir, Precision.INT8, ScorerOptions.defaults()))
        .hasMessageContaining("says precision fp32 but int8 was asked for");
  }

  @Test
  void opensFromTheClasspath() throws Exception {
    Path root = tmp.resolve("cp");
    TestModels.writeModel(
        root.resolve("models/demo/int8"),
        weights(4, 2),
        Precision.INT8,
        card(Precision.INT8, 4, 1, 2));
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader jar = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
      Thread.currentThread().setContextClassLoader(jar);
      try (VaeScorer s =
          ModelRef.classpath("/models/demo/", Precision.INT8).open(ScorerOptions.defaults())) {
        assertThat(s.score(new float[4], 1).size()).isEqualTo(1);
      }
      assertThatThrownBy(
              () ->
                  ModelRef.classpath("models/demo", Precision.FP32).open(ScorerOptions.defaults()))
          .hasMessageContaining("models/demo/fp32/model.json");
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Test
  void aRuntimeFailureNamesBatchModelAndOrtCode() throws IOException {
    // Reshape to a fixed [1, 2]: the one-row load probe passes, a two-row batch cannot run.
    OnnxGraphBuilder g = new OnnxGraphBuilder().input("x", DataType.FLOAT, N, 2);
    g.int64Initializer("one_row", new long[] {1, 2}, 2);
    g.node("Reshape", List.of("x", "one_row"), List.of("recon"));
    g.node("Identity", List.of("recon"), List.of("mu"));
    g.node("Identity", List.of("recon"), List.of("logvar"));
    for (String o : List.of("recon", "mu", "logvar")) {
      g.output(o, DataType.FLOAT, N, 2);
    }
    Path dir = dirWith(card(Precision.FP32, 2, 1, 2), g.toBytes("fixed", "test"));
    try (VaeScorer s = VaeScorer.open(dir, Precision.FP32, ScorerOptions.defaults())) {
      assertThatThrownBy(() -> s.score(new float[4], 2))
          .isInstanceOf(ScoringException.class)
          .hasMessageContaining("batch of 2 rows")
          .hasMessageContaining("test-vae 1 (fp32)")
          .hasMessageContaining("ORT_")
          .satisfies(e -> assertThat(((ScoringException) e).batchSize()).isEqualTo(2));
    }
  }
}
