package io.vaeguard.model.scorer;

import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a model's card and ONNX file come from: a directory that holds both, a parent directory
 * with one sub-directory per precision, or the same two layouts on the classpath (a model shipped
 * inside a jar). Everything that can be wrong with the location is reported here, naming the path.
 *
 * @param card the parsed model card
 * @param onnxPath the ONNX file on disk, or null when {@code onnxBytes} holds it
 * @param onnxBytes the ONNX model read from the classpath, or null
 * @param where the model's directory or resource directory, for messages
 */
record ModelSource(ModelCard card, Path onnxPath, byte[] onnxBytes, String where) {

  static ModelSource directory(Path dir, Precision precision) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("model directory " + dir + " does not exist or is not a directory");
    }
    Path modelDir = dir;
    if (!Files.exists(dir.resolve(ModelCard.CARD_FILE)) && !Files.exists(dir.resolve(ModelCard.ONNX_FILE))) {
      modelDir = dir.resolve(precision.id());
      if (!Files.isDirectory(modelDir)) {
        throw new IllegalArgumentException(
            "no model in " + dir + ": expected " + ModelCard.CARD_FILE + " and " + ModelCard.ONNX_FILE
                + " there or in a sub-directory " + modelDir + " (precision sub-directories present: "
                + presentPrecisions(dir) + ")");
      }
    }
    Path cardFile = modelDir.resolve(ModelCard.CARD_FILE);
    if (!Files.isRegularFile(cardFile)) {
      throw new IllegalArgumentException("model card missing: " + cardFile);
    }
    ModelCard card = ModelCards.read(cardFile);
    checkPrecision(card, precision, cardFile.toString());
    Path onnx = modelDir.resolve(onnxName(card, cardFile.toString()));
    if (!Files.isRegularFile(onnx)) {
      throw new IllegalArgumentException("ONNX model missing: " + onnx + " (named by " + cardFile + ")");
    }
    return new ModelSource(card, onnx, null, modelDir.toString());
  }

  static ModelSource classpath(String resourceDir, Precision precision, ClassLoader loader) {
    String base = trimSlashes(resourceDir);
    String dir = base;
    if (loader.getResource(join(base, ModelCard.CARD_FILE)) == null) {
      dir = join(base, precision.id());
      if (loader.getResource(join(dir, ModelCard.CARD_FILE)) == null) {
        throw new IllegalArgumentException(
            "no model card on the classpath at " + join(base, ModelCard.CARD_FILE) + " or "
                + join(dir, ModelCard.CARD_FILE));
      }
    }
    String cardRes = join(dir, ModelCard.CARD_FILE);
    ModelCard card;
    try (InputStream in = loader.getResourceAsStream(cardRes)) {
      card = ModelCards.read(in, "classpath:" + cardRes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model card classpath:" + cardRes, e);
    }
    checkPrecision(card, precision, "classpath:" + cardRes);
    String onnxRes = join(dir, onnxName(card, "classpath:" + cardRes));
    byte[] bytes;
    try (InputStream in = loader.getResourceAsStream(onnxRes)) {
      if (in == null) {
        throw new IllegalArgumentException("ONNX model missing: classpath:" + onnxRes + " (named by classpath:" + cardRes + ")");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model classpath:" + onnxRes, e);
    }
    return new ModelSource(card, null, bytes, "classpath:" + dir);
  }

  /** The ONNX model's bytes: read from disk for a directory model, as held for a classpath one. */
  byte[] readOnnx() throws IOException {
    return onnxBytes != null ? onnxBytes : Files.readAllBytes(onnxPath);
  }

  /** The ONNX file's name for messages, e.g. {@code model.onnx}. */
  String onnxName() {
    return onnxPath != null ? onnxPath.getFileName().toString() : onnxName(card, where);
  }

  private static String onnxName(ModelCard card, String cardWhere) {
    String name = card.onnxFile() != null && !card.onnxFile().isBlank() ? card.onnxFile() : ModelCard.ONNX_FILE;
    // The card names a file beside it; a path could point anywhere, so it is refused.
    if (name.contains("/") || name.contains("\\") || name.equals("..")) {
      throw new IllegalArgumentException(
          cardWhere + ": onnxFile must be a file name beside the card, got '" + name + "'");
    }
    return name;
  }

  private static void checkPrecision(ModelCard card, Precision asked, String cardWhere) {
    if (card.precision() != null && !card.precision().equalsIgnoreCase(asked.id())) {
      throw new IllegalArgumentException(
          cardWhere + " says precision " + card.precision() + " but " + asked.id() + " was asked for");
    }
  }

  private static String presentPrecisions(Path dir) {
    List<String> found = new ArrayList<>();
    for (Precision p : Precision.values()) {
      if (Files.isDirectory(dir.resolve(p.id()))) {
        found.add(p.id());
      }
    }
    return found.isEmpty() ? "none" : String.join(", ", found);
  }

  private static String trimSlashes(String s) {
    String t = s.trim();
    while (t.startsWith("/")) {
      t = t.substring(1);
    }
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
