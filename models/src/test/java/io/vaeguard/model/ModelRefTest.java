package io.vaeguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every layout a model location can have, the default model, and the messages when it is wrong. */
class ModelRefTest {

  private static final String FLAG = "--model";

  @TempDir Path tmp;

  private static ModelCard card(Precision p) {
    return TestModels.card(p, TestModels.features(4), 1, 2, TestModels.identityScaler(4), 1);
  }

  /** A model of {@code p} in {@code dir} itself: model.json and model.onnx. */
  private static Path model(Path dir, Precision p) {
    return TestModels.writeModel(dir, TestModels.randomWeights(7, 4, 2, 6), p, card(p));
  }

  /** A parent directory with one sub-directory per precision, as {@code vaeguard train} writes. */
  private Path variants() {
    Path parent = tmp.resolve("variants");
    model(parent.resolve("fp32"), Precision.FP32);
    model(parent.resolve("int8"), Precision.INT8);
    return parent;
  }

  @Test
  void aDirectoryOfVariantsServesFp32UnlessAPrecisionIsAsked() {
    Path parent = variants();
    ModelRef plain = ModelRef.parse(parent.toString(), null, FLAG);
    assertThat(plain.precision()).isEqualTo(Precision.FP32);
    assertThat(plain.readCard().precision()).isEqualTo("fp32");
    assertThat(plain.resolve().where()).isEqualTo(parent.resolve("fp32").toString());

    ModelRef int8 = ModelRef.parse(parent.toString(), Precision.INT8, FLAG);
    assertThat(int8.readCard().precision()).isEqualTo("int8");
    try (VaeScorer s = int8.open(ScorerOptions.defaults())) {
      assertThat(s.card().precision()).isEqualTo("int8");
    }
    assertThatThrownBy(() -> ModelRef.parse(parent.toString(), Precision.FP16W, FLAG).readCard())
        .hasMessageStartingWith("--model: no model in " + parent)
        .hasMessageContaining(parent.resolve("fp16w").toString())
        .hasMessageContaining("precision sub-directories present: fp32, int8");
  }

  @Test
  void aSingleModelDirectoryServesItsCardsPrecision() {
    Path dir = model(tmp.resolve("variant"), Precision.INT8);
    ModelRef ref = ModelRef.parse(dir.toString(), null, FLAG);
    assertThat(ref.precision()).isEqualTo(Precision.INT8);
    assertThat(ref.readCard().precision()).isEqualTo("int8");
    try (VaeScorer s = ref.open(ScorerOptions.defaults())) {
      assertThat(s.score(new float[4], 1).size()).isEqualTo(1);
    }
    assertThatThrownBy(() -> ModelRef.parse(dir.toString(), Precision.FP32, FLAG).readCard())
        .hasMessage(
            "--model: "
                + dir.resolve(ModelCard.CARD_FILE)
                + " says precision int8 but fp32 was asked for");
  }

  @Test
  void aClasspathLocationHasTheSameTwoLayouts() throws Exception {
    Path root = tmp.resolve("jar");
    model(root.resolve("models/demo/fp32"), Precision.FP32);
    model(root.resolve("models/demo/int8"), Precision.INT8);
    model(root.resolve("models/one"), Precision.INT8);
    withClassLoader(
        root,
        () -> {
          ModelRef variants = ModelRef.parse("classpath:/models/demo/", Precision.INT8, FLAG);
          assertThat(variants.onClasspath()).isTrue();
          assertThat(variants.location()).isEqualTo("classpath:models/demo");
          assertThat(variants.resolve().where()).isEqualTo("classpath:models/demo/int8");
          try (VaeScorer s = variants.open(ScorerOptions.defaults())) {
            assertThat(s.card().precision()).isEqualTo("int8");
          }
          assertThat(ModelRef.parse("classpath:models/demo", null, FLAG).readCard().precision())
              .isEqualTo("fp32");
          ModelRef one = ModelRef.parse("classpath:models/one", null, FLAG);
          assertThat(one.precision())
              .as("a single model serves its own precision")
              .isEqualTo(Precision.INT8);
          try (VaeScorer s = one.open(ScorerOptions.defaults())) {
            assertThat(s.card().precision()).isEqualTo("int8");
          }
          assertThatThrownBy(
                  () -> ModelRef.parse("classpath:models/demo", Precision.FP16W, FLAG).readCard())
              .hasMessage(
                  "--model: no model card on the classpath at models/demo/model.json or "
                      + "models/demo/fp16w/model.json");
          return null;
        });
  }

  @Test
  void theDefaultModelIsTheWorkingDirectorysCopyElseThePackedOne() throws Exception {
    Path checkout = tmp.resolve("checkout");
    model(checkout.resolve(ModelRef.DEFAULT_DIRECTORY).resolve("fp32"), Precision.FP32);
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    assertThat(ModelRef.defaultLocation(checkout, false)).isEqualTo("models/default");
    assertThat(ModelRef.defaultLocation(checkout, true))
        .as("for a cluster")
        .isEqualTo("classpath:models/default");
    assertThat(ModelRef.defaultLocation(elsewhere, false)).isEqualTo("classpath:models/default");

    // the packed copy opens from the jar's resources
    withClassLoader(
        checkout,
        () -> {
          ModelRef packed = ModelRef.parse(ModelRef.PACKED_DEFAULT, null, FLAG);
          assertThat(packed).hasToString("classpath:models/default (fp32)");
          assertThat(packed.readCard().precision()).isEqualTo("fp32");
          return null;
        });
  }

  @Test
  void whatIsMissingIsNamedWithTheFlag() throws IOException {
    Path missing = tmp.resolve("no-model");
    assertThatThrownBy(() -> ModelRef.parse(missing.toString(), null, FLAG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--model: no such directory: " + missing);
    assertThatThrownBy(() -> ModelRef.parse(" ", null, FLAG))
        .hasMessage("--model: no model location given");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ModelRef emptyRef = ModelRef.parse(empty.toString(), null, FLAG);
    assertThatThrownBy(emptyRef::readCard)
        .hasMessageStartingWith(
            "--model: no model in " + empty + ": expected model.json and model.onnx")
        .hasMessageContaining("precision sub-directories present: none");

    Path onnxOnly = model(tmp.resolve("onnx-only"), Precision.FP32);
    Files.delete(onnxOnly.resolve(ModelCard.CARD_FILE));
    assertThatThrownBy(() -> ModelRef.parse(onnxOnly.toString(), null, FLAG).readCard())
        .hasMessage("--model: model card missing: " + onnxOnly.resolve(ModelCard.CARD_FILE));

    Path cardOnly = tmp.resolve("card-only");
    ModelCards.write(card(Precision.FP32), cardOnly.resolve(ModelCard.CARD_FILE));
    ModelRef cardOnlyRef = ModelRef.parse(cardOnly.toString(), null, FLAG);
    assertThat(cardOnlyRef.readCard().precision())
        .as("the card alone is enough to assemble a job")
        .isEqualTo("fp32");
    assertThatThrownBy(cardOnlyRef::resolve)
        .hasMessage(
            "--model: ONNX model missing: "
                + cardOnly.resolve(ModelCard.ONNX_FILE)
                + " (named by "
                + cardOnly.resolve(ModelCard.CARD_FILE)
                + ")");

    // programmatic references have no flag to name
    assertThatThrownBy(() -> ModelRef.directory(missing, Precision.FP32))
        .hasMessage("no such directory: " + missing);
  }

  @Test
  void aReferenceIsAValueThatTravels() throws Exception {
    Path parent = variants();
    ModelRef a = ModelRef.parse(parent.toString(), Precision.INT8, FLAG);
    ModelRef b =
        ModelRef.directory(parent.resolve("x/..").resolve(".").toAbsolutePath(), Precision.INT8);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).hasToString(parent + " (int8)");
    assertThat(a).isNotEqualTo(ModelRef.directory(parent, Precision.FP32));
    assertThat(a).isNotEqualTo(ModelRef.classpath(parent.toString(), Precision.INT8));
    assertThat(a.location()).isEqualTo(parent.toString());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    ModelRef copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ModelRef) in.readObject();
    }
    assertThat(copy).isEqualTo(a);
    assertThat(copy.readCard().precision())
        .as("the copy reads the card where it is")
        .isEqualTo("int8");
  }

  @Test
  void theCardIsReadOncePerReference() throws IOException {
    Path dir = model(tmp.resolve("once"), Precision.FP32);
    ModelRef ref = ModelRef.parse(dir.toString(), null, FLAG);
    ModelCard first = ref.readCard();
    Files.delete(dir.resolve(ModelCard.CARD_FILE));
    assertThat(ref.readCard()).isSameAs(first);
    assertThatThrownBy(() -> ModelRef.parse(dir.toString(), Precision.FP32, FLAG).readCard())
        .hasMessageContaining("model card missing");
  }

  private static void withClassLoader(Path root, Callable<Void> body) throws Exception {
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader jar = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
      Thread.currentThread().setContextClassLoader(jar);
      body.call();
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }
}
