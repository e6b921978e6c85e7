package io.vaeguard.pipeline.scoring;

import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where each scoring subtask loads its model from: a directory that every TaskManager can read
 * (the same path on each machine, e.g. a shared or baked-in volume) or a resource directory on the
 * job's classpath (a model shipped inside the job jar). Either holds {@code model.json} and
 * {@code model.onnx} itself or one sub-directory per precision ({@code fp32/}, {@code int8/}, ...).
 * Serializable: it travels in the job graph; the model is read on the TaskManager.
 *
 * @param location a filesystem path or a classpath resource directory
 * @param classpath whether {@code location} is a classpath resource directory
 * @param precision which precision to load
 */
public record ModelLocation(String location, boolean classpath, Precision precision) implements Serializable {

  public ModelLocation {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(precision, "precision");
    if (location.isBlank()) {
      throw new IllegalArgumentException("model location must not be blank");
    }
  }

  /** A model directory on the TaskManagers' filesystem; made absolute here, on the client. */
  public static ModelLocation directory(Path dir, Precision precision) {
    return new ModelLocation(dir.toAbsolutePath().normalize().toString(), false, precision);
  }

  /** A model resource directory on the classpath, e.g. {@code "models/default"}. */
  public static ModelLocation classpath(String resourceDir, Precision precision) {
    return new ModelLocation(resourceDir, true, precision);
  }

  /** Opens a scorer (on the TaskManager); errors name the location and what is wrong. */
  public VaeScorer open(ScorerOptions options) {
    return classpath
        ? VaeScorer.openClasspath(location, precision, options)
        : VaeScorer.open(Path.of(location), precision, options);
  }

  /**
   * Reads only the model card, without ONNX Runtime: for the job's assembly on the client
   * (feature names for decoding, window length, threshold). The scorer checks card and ONNX file
   * against each other when it opens.
   */
  public ModelCard readCard() {
    if (!classpath) {
      Path dir = Path.of(location);
      Path card = dir.resolve(ModelCard.CARD_FILE);
      if (!Files.isRegularFile(card)) {
        card = dir.resolve(precision.id()).resolve(ModelCard.CARD_FILE);
      }
      if (!Files.isRegularFile(card)) {
        throw new IllegalArgumentException("no model card at " + dir.resolve(ModelCard.CARD_FILE) + " or " + card);
      }
      return ModelCards.read(card);
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ModelLocation.class.getClassLoader();
    }
    String base = location.replaceAll("^/+|/+$", "");
    String res = base + "/" + ModelCard.CARD_FILE;
    if (loader.getResource(res) == null) {
      res = base + "/" + precision.id() + "/" + ModelCard.CARD_FILE;
    }
    try (InputStream in = loader.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalArgumentException("no model card on the classpath at " + base + "/" + ModelCard.CARD_FILE
            + " or " + res);
      }
      return ModelCards.read(in, "classpath:" + res);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model card classpath:" + res, e);
    }
  }

  @Override
  public String toString() {
    return (classpath ? "classpath:" : "") + location + " (" + precision + ")";
  }
}
