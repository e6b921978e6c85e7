package io.vaeguard.model;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a model is: the one place that turns a location as users write it ({@code models/default},
 * {@code /opt/models/pumps/int8}, {@code classpath:models/default}) and a precision into a model
 * card and an ONNX file. Every command, the streaming job and the scoring operator name their model
 * with one of these.
 *
 * <p>A location is a directory or, with {@value #CLASSPATH_PREFIX}, a resource directory on the
 * classpath (a model packed in a jar). Either holds one model ({@code model.json} beside the ONNX
 * file it names) or one sub-directory per precision ({@code fp32/}, {@code int8/}, ...). Without a
 * precision, a directory of one model (an {@code optimize} variant) serves its card's own
 * precision, a directory of variants fp32.
 *
 * <p>A value: equal locations and precisions are equal references, whatever the card says, and the
 * reference is serializable, so it travels in a Flink job graph and the model is read where it is
 * opened. The card is read at most once per object ({@link #readCard()}); a deserialized copy reads
 * it again. Every message about a missing or wrong model names the path and, where the location
 * came from a flag or a config key, that flag or key ({@link #parse(String, Precision, String)}).
 */
public final class ModelRef implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The prefix of a location on the classpath, as in {@code classpath:models/default}. */
  public static final String CLASSPATH_PREFIX = "classpath:";

  /**
   * The shipped model's directory, relative to the working directory (a checkout or an
   * installation).
   */
  public static final String DEFAULT_DIRECTORY = "models/default";

  /** The shipped model packed in the pipeline and job jars. */
  public static final String PACKED_DEFAULT = CLASSPATH_PREFIX + DEFAULT_DIRECTORY;

  private final String
      path; // absolute and normalized, or a resource directory without surrounding slashes
  private final boolean classpath;
  private final Precision precision;
  private final String origin; // the flag or key named in messages, or null; not part of the value
  private transient volatile ModelCard card;

  private ModelRef(
      String path, boolean classpath, Precision precision, String origin, ModelCard card) {
    this.path = path;
    this.classpath = classpath;
    this.precision = Objects.requireNonNull(precision, "precision");
    this.origin = origin;
    this.card = card;
  }

  /**
   * A location as users write it: {@code classpath:DIR} or a directory path.
   *
   * @param location the location text
   * @param precision the precision to serve, or null for the default (see the class comment)
   * @param origin the flag or config key that gave the location (e.g. {@code --model}), named in
   *     every message about it; null for none
   * @throws IllegalArgumentException for an empty location or a directory that does not exist
   */
  public static ModelRef parse(String location, Precision precision, String origin) {
    String text = location == null ? "" : location.trim();
    if (text.isEmpty()) {
      throw new IllegalArgumentException(named(origin, "no model location given"));
    }
    if (text.startsWith(CLASSPATH_PREFIX)) {
      return classpath(text.substring(CLASSPATH_PREFIX.length()), precision, origin);
    }
    return directory(Path.of(text), precision, origin);
  }

  /** A model directory; made absolute here (on the client, for a job). */
  public static ModelRef directory(Path dir, Precision precision) {
    return directory(dir, precision, null);
  }

  /** A resource directory on the classpath, e.g. {@code "models/default"}. */
  public static ModelRef classpath(String resourceDir, Precision precision) {
    return classpath(resourceDir, precision, null);
  }

  private static ModelRef directory(Path dir, Precision precision, String origin) {
    Path abs = dir.toAbsolutePath().normalize();
    requireDirectory(abs, origin);
    ModelCard single = null;
    if (precision == null) {
      Path cardFile = abs.resolve(ModelCard.CARD_FILE);
      if (Files.isRegularFile(cardFile)) {
        single = ModelCards.read(cardFile);
      }
    }
    return new ModelRef(abs.toString(), false, precisionOf(single, precision), origin, single);
  }

  private static ModelRef classpath(String resourceDir, Precision precision, String origin) {
    String base = trimSlashes(resourceDir);
    ModelCard single = null;
    if (precision == null) {
      String res = join(base, ModelCard.CARD_FILE);
      if (loader().getResource(res) != null) {
        single = readResourceCard(res);
      }
    }
    return new ModelRef(base, true, precisionOf(single, precision), origin, single);
  }

  /**
   * The default model's location: {@value #DEFAULT_DIRECTORY} where {@code workingDir} has it, else
   * the copy packed in the jar ({@value #PACKED_DEFAULT}); always the packed copy with {@code
   * packedOnly}, for a cluster whose TaskManagers need not have the directory.
   */
  public static String defaultLocation(Path workingDir, boolean packedOnly) {
    return !packedOnly && Files.isDirectory(workingDir.resolve(DEFAULT_DIRECTORY))
        ? DEFAULT_DIRECTORY
        : PACKED_DEFAULT;
  }

  /** {@link #defaultLocation(Path, boolean)} for the process's working directory. */
  public static String defaultLocation(boolean packedOnly) {
    return defaultLocation(Path.of(""), packedOnly);
  }

  /** The location as users write it: an absolute directory, or {@code classpath:DIR}. */
  public String location() {
    return classpath ? CLASSPATH_PREFIX + path : path;
  }

  public boolean onClasspath() {
    return classpath;
  }

  /** The precision this reference serves. */
  public Precision precision() {
    return precision;
  }

  /**
   * The model card, checked against the layout and the precision; read once per object. Reads no
   * ONNX and needs no ONNX Runtime: for assembling a job on the client (features, window,
   * threshold). {@link #open} checks card and ONNX file against each other.
   *
   * @throws IllegalArgumentException when the directory, the card or the precision is wrong; the
   *     message names the path (and the flag or key the location came from)
   */
  public ModelCard readCard() {
    ModelCard c = card;
    if (c == null) {
      c =
          classpath
              ? readResourceCard(join(resourceDir(), ModelCard.CARD_FILE))
              : ModelCards.read(cardFile());
      checkPrecision(c, cardWhere());
      card = c;
    }
    return c;
  }

  /** Opens a scorer for this model (on a TaskManager, in a job); see {@link VaeScorer}. */
  public VaeScorer open(ScorerOptions options) {
    return VaeScorer.open(this, options);
  }

  /**
   * The model's card and ONNX file, found and checked: what {@link VaeScorer} loads.
   *
   * @throws IllegalArgumentException when a file is missing or the card names no file beside it
   */
  public Resolved resolve() {
    ModelCard c = readCard();
    String onnxName = onnxName(c, cardWhere());
    if (!classpath) {
      Path dir = modelDirectory();
      Path onnx = dir.resolve(onnxName);
      if (!Files.isRegularFile(onnx)) {
        throw new IllegalArgumentException(
            named(origin, "ONNX model missing: " + onnx + " (named by " + cardWhere() + ")"));
      }
      return new Resolved(c, dir.toString(), onnxName, onnx, null);
    }
    String dir = resourceDir();
    String onnxRes = join(dir, onnxName);
    try (InputStream in = loader().getResourceAsStream(onnxRes)) {
      if (in == null) {
        throw new IllegalArgumentException(
            named(
                origin,
                "ONNX model missing: "
                    + CLASSPATH_PREFIX
                    + onnxRes
                    + " (named by "
                    + cardWhere()
                    + ")"));
      }
      return new Resolved(c, CLASSPATH_PREFIX + dir, onnxName, null, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model " + CLASSPATH_PREFIX + onnxRes, e);
    }
  }

  /**
   * One model's files as found for a {@link ModelRef}.
   *
   * @param card the model card
   * @param where the directory that holds the model ({@code classpath:...} for a resource
   *     directory), for messages
   * @param onnxName the ONNX file's name, for messages
   * @param onnxFile the ONNX file, or null when {@code onnxBytes} holds the model
   * @param onnxBytes the ONNX model read from the classpath, or null
   */
  public record Resolved(
      ModelCard card, String where, String onnxName, Path onnxFile, byte[] onnxBytes) {

    /**
     * The ONNX model's bytes: read from disk for a directory model, as held for a classpath one.
     */
    public byte[] readOnnx() throws IOException {
      return onnxBytes != null ? onnxBytes : Files.readAllBytes(onnxFile);
    }
  }

  // ---- the layout: this directory, or its sub-directory for the precision

  /**
   * The directory that holds the model: this one when it has the card or the ONNX file, else the
   * precision's.
   */
  private Path modelDirectory() {
    Path dir = Path.of(path);
    requireDirectory(dir, origin);
    if (Files.exists(dir.resolve(ModelCard.CARD_FILE))
        || Files.exists(dir.resolve(ModelCard.ONNX_FILE))) {
      return dir;
    }
    Path sub = dir.resolve(precision.id());
    if (!Files.isDirectory(sub)) {
      throw new IllegalArgumentException(
          named(
              origin,
              "no model in "
                  + dir
                  + ": expected "
                  + ModelCard.CARD_FILE
                  + " and "
                  + ModelCard.ONNX_FILE
                  + " there or in a sub-directory "
                  + sub
                  + " (precision sub-directories present: "
                  + presentPrecisions(dir)
                  + ")"));
    }
    return sub;
  }

  private Path cardFile() {
    Path file = modelDirectory().resolve(ModelCard.CARD_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(named(origin, "model card missing: " + file));
    }
    return file;
  }

  /**
   * The resource directory that holds the model, the same way: this one when it has the card, else
   * the precision's.
   */
  private String resourceDir() {
    if (loader().getResource(join(path, ModelCard.CARD_FILE)) != null) {
      return path;
    }
    String sub = join(path, precision.id());
    if (loader().getResource(join(sub, ModelCard.CARD_FILE)) == null) {
      throw new IllegalArgumentException(
          named(
              origin,
              "no model card on the classpath at "
                  + join(path, ModelCard.CARD_FILE)
                  + " or "
                  + join(sub, ModelCard.CARD_FILE)));
    }
    return sub;
  }

  private String cardWhere() {
    return classpath
        ? CLASSPATH_PREFIX + join(resourceDir(), ModelCard.CARD_FILE)
        : cardFile().toString();
  }

  private void checkPrecision(ModelCard c, String where) {
    if (c.precision() != null && !c.precision().equalsIgnoreCase(precision.id())) {
      throw new IllegalArgumentException(
          named(
              origin,
              where
                  + " says precision "
                  + c.precision()
                  + " but "
                  + precision.id()
                  + " was asked for"));
    }
  }

  private static Precision precisionOf(ModelCard single, Precision asked) {
    if (asked != null) {
      return asked;
    }
    return single != null && single.precision() != null
        ? Precision.parse(single.precision())
        : Precision.FP32;
  }

  private static void requireDirectory(Path dir, String origin) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(named(origin, "no such directory: " + dir));
    }
  }

  private static String onnxName(ModelCard card, String cardWhere) {
    String name =
        card.onnxFile() != null && !card.onnxFile().isBlank()
            ? card.onnxFile()
            : ModelCard.ONNX_FILE;
    // The card names a file beside it; a path could point anywhere, so it is refused.
    if (name.contains("/") || name.contains("\\") || name.equals("..")) {
      throw new IllegalArgumentException(
          cardWhere + ": onnxFile must be a file name beside the card, got '" + name + "'");
    }
    return name;
  }

  private static ModelCard readResourceCard(String res) {
    try (InputStream in = loader().getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalArgumentException("no model card on the classpath at " + res);
      }
      return ModelCards.read(in, CLASSPATH_PREFIX + res);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model card " + CLASSPATH_PREFIX + res, e);
    }
  }

  /**
   * The thread's context class loader (Flink's user-code class loader in a task), else this
   * class's.
   */
  private static ClassLoader loader() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return loader != null ? loader : ModelRef.class.getClassLoader();
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

  private static String named(String origin, String message) {
    return origin == null ? message : origin + ": " + message;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelRef r
        && r.classpath == classpath
        && r.path.equals(path)
        && r.precision == precision;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, classpath, precision);
  }

  /** E.g. {@code classpath:models/default (int8)} or {@code /opt/models/pumps (fp32)}. */
  @Override
  public String toString() {
    return location() + " (" + precision + ")";
  }
}
