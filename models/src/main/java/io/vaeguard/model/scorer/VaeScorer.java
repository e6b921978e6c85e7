package io.vaeguard.model.scorer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores batches of rows with a VAE in ONNX Runtime: one session, one {@code session.run} per
 * batch, buffers reused between batches. One instance per Flink subtask; not thread-safe.
 *
 * <p>When the model opens, its graph is extended in memory with two more outputs, each row's sums
 * behind the reconstruction error E and KL ({@link ScoreGraph}), so that ONNX Runtime works them
 * out with its vectorised kernels in the same run; where that fails (an unexpected graph, ONNX
 * Runtime refusing it) the scorer says why in one WARN line and works them out in Java instead.
 *
 * <p>The input and the outputs live in direct buffers that ONNX Runtime reads and writes in place
 * (the outputs are "pinned"), sized for the largest batch seen so far; the tensor handles over them
 * are kept while batches keep the same size. Only what is read is copied out: {@link #score} reads
 * E and KL (and recon for the few rows whose feature shares are asked for), {@link
 * #forwardNormalised} copies recon, mu and logvar. The {@link ScoreBatch} returned is reused too:
 * it is valid until the next call.
 *
 * <p>Lifetimes follow ORT's own: the environment is shared and never closed; the session options
 * live as long as the session; after {@link #close()} every method throws {@link
 * IllegalStateException}.
 *
 * <p>The input side, the card's scaler over the window's columns and the errors for rows that
 * cannot be scored, is {@link InputScaler}'s.
 */
public final class VaeScorer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VaeScorer.class);
  private static final int INITIAL_ROWS = 64;

  private final OrtEnvironment env;
  private final SessionFactory.OpenSession open;
  private final ModelCard card;
  private final String modelLabel;
  private final int inputDim;
  private final int latentDim;
  private final InputScaler scaler;
  private final ScoreBatch batch;
  private final ScoreGraph.Augmented graph; // null: E and KL are worked out in Java

  // Reused between calls; grown to the largest batch seen.
  private int capacity;
  private float[] xnorm;
  private float[] recon; // the Java path's copies of the outputs; null on the graph path
  private float[] mu;
  private float[] logvar;
  private FloatBuffer xBuf;
  private FloatBuffer reconBuf;
  private FloatBuffer muBuf;
  private FloatBuffer logvarBuf;
  private FloatBuffer eBuf; // the graph path's per-row sums (sqsum, klsum); null on the Java path
  private FloatBuffer klBuf;
  // Tensor handles over the buffers, for batches of boundRows rows (-1: none).
  private final Map<String, OnnxTensor> inputs = new HashMap<>(2);
  private final Map<String, OnnxTensor> outputs = new HashMap<>(8);
  private int boundRows = -1;

  private boolean closed;

  private VaeScorer(
      OrtEnvironment env,
      SessionFactory.OpenSession open,
      ModelCard card,
      ScoreGraph.Augmented graph) {
    this.env = env;
    this.open = open;
    this.card = card;
    this.graph = graph;
    this.modelLabel = card.name() + " " + card.version() + " (" + card.precision() + ")";
    this.inputDim = card.inputDim();
    this.latentDim = card.latentDim();
    this.scaler = new InputScaler(card, modelLabel);
    this.batch = new ScoreBatch(card);
    grow(INITIAL_ROWS);
  }

  /**
   * Opens the model {@code model} refers to; see {@link ModelRef} for the layouts and the
   * precision.
   *
   * @throws IllegalArgumentException when files are missing or the ONNX model does not fit the
   *     contract or its card; the message names the path and the mismatch
   */
  public static VaeScorer open(ModelRef model, ScorerOptions opts) {
    return open(model.resolve(), opts, true);
  }

  /** Shorthand for {@code open(ModelRef.directory(dir, precision), opts)}. */
  public static VaeScorer open(Path dir, Precision precision, ScorerOptions opts) {
    return open(ModelRef.directory(dir, precision), opts);
  }

  /**
   * As {@link #open(Path, Precision, ScorerOptions)}; {@code reductionsInGraph} false skips the
   * graph extension and works out E and KL in Java, as the fallback does (tests compare the two).
   */
  static VaeScorer open(
      Path dir, Precision precision, ScorerOptions opts, boolean reductionsInGraph) {
    return open(ModelRef.directory(dir, precision).resolve(), opts, reductionsInGraph);
  }

  private static VaeScorer open(
      ModelRef.Resolved src, ScorerOptions opts, boolean reductionsInGraph) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    String why = null;
    if (reductionsInGraph) {
      try {
        return openExtended(env, src, opts);
      } catch (ScoreGraph.Unsupported e) {
        why = e.getMessage();
      }
    }
    VaeScorer scorer = openPlain(env, src, opts);
    if (why != null) {
      // Logged only once the model itself has loaded: a broken model fails with its own message.
      LOG.warn(
          "model {} from {}: E and KL are worked out in Java, not in the ONNX graph: {}",
          scorer.modelLabel,
          src.where(),
          why);
    }
    return scorer;
  }

  /**
   * The model with {@link ScoreGraph}'s outputs, checked; anything amiss is an {@code Unsupported}.
   */
  private static VaeScorer openExtended(
      OrtEnvironment env, ModelRef.Resolved src, ScorerOptions opts) throws ScoreGraph.Unsupported {
    ScoreGraph.Augmented graph;
    try {
      graph = ScoreGraph.augment(src.readOnnx());
    } catch (java.io.IOException e) {
      throw new ScoreGraph.Unsupported("cannot read " + src.onnxName() + ": " + e.getMessage());
    }
    SessionFactory.OpenSession s;
    try {
      s = SessionFactory.open(env, src, graph.model(), opts);
    } catch (OrtException | RuntimeException e) {
      throw new ScoreGraph.Unsupported(
          "ONNX Runtime refuses the extended graph: " + e.getMessage());
    }
    VaeScorer scorer = null;
    try {
      ModelContract.check(env, s.session(), src.card(), src.onnxName(), src.where());
      scorer = new VaeScorer(env, s, src.card(), graph);
      String mismatch = scorer.selfCheck();
      if (mismatch != null) {
        throw new ScoreGraph.Unsupported(mismatch);
      }
      LOG.info(
          "model {} from {} runs on {} ({} intra-op thread(s), optimization {}); E and KL in the graph"
              + " (opset {})",
          scorer.modelLabel,
          src.where(),
          s.provider(),
          opts.intraOpThreads(),
          opts.optimizationLevel(),
          graph.opset());
      return scorer;
    } catch (OrtException | RuntimeException | ScoreGraph.Unsupported e) {
      closeQuietly(scorer != null ? scorer : s, e); // the scorer closes its tensors and the session
      throw e instanceof ScoreGraph.Unsupported u
          ? u
          : new ScoreGraph.Unsupported("the extended graph fails its checks: " + e.getMessage());
    }
  }

  private static VaeScorer openPlain(
      OrtEnvironment env, ModelRef.Resolved src, ScorerOptions opts) {
    SessionFactory.OpenSession s;
    try {
      s = SessionFactory.open(env, src, opts);
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime cannot load "
              + src.onnxName()
              + " in "
              + src.where()
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      ModelContract.check(env, s.session(), src.card(), src.onnxName(), src.where());
      VaeScorer scorer = new VaeScorer(env, s, src.card(), null);
      LOG.info(
          "model {} from {} runs on {} ({} intra-op thread(s), optimization {}); E and KL in Java",
          scorer.modelLabel,
          src.where(),
          s.provider(),
          opts.intraOpThreads(),
          opts.optimizationLevel());
      return scorer;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(s, e);
      if (e instanceof OrtException oe) {
        throw new IllegalArgumentException(
            "ONNX Runtime cannot run "
                + src.onnxName()
                + " in "
                + src.where()
                + ": "
                + oe.getMessage(),
            oe);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Runs a few fixed rows and compares the graph's E and KL with the Java arithmetic on the same
   * outputs: a wiring check (a wrong axis or broadcast would be far off), not a precision test.
   *
   * @return null when they agree, else what differs
   */
  private String selfCheck() {
    int rows = 4;
    float[] x = new float[rows * inputDim];
    java.util.Random rnd = new java.util.Random(20260101L);
    for (int k = inputDim; k < x.length; k++) { // row 0 stays all zeros
      x[k] = (float) (rnd.nextGaussian() * (k < 2 * inputDim ? 1 : 4));
    }
    Outputs out = forwardNormalised(x, rows);
    ScoreBatch ref = new ScoreBatch(card);
    ref.compute(rows, x, out.recon(), out.mu(), out.logvar());
    for (int r = 0; r < rows; r++) {
      double e = ScoreGraph.reconstructionError(eBuf.get(r), inputDim);
      double kl = ScoreGraph.kl(klBuf.get(r), latentDim);
      if (!near(e, ref.reconstructionError(r)) || !near(kl, ref.kl(r))) {
        return "on check row "
            + r
            + " the graph gives E "
            + e
            + ", KL "
            + kl
            + " where Java gives E "
            + ref.reconstructionError(r)
            + ", KL "
            + ref.kl(r);
      }
    }
    return null;
  }

  /** Within float rounding of a few terms, generously: 1e-4 relative to max(1, |expected|). */
  private static boolean near(double actual, double expected) {
    return actual == expected
        || Math.abs(actual - expected) <= 1e-4 * Math.max(1, Math.abs(expected));
  }

  /** Whether E and KL come from the model's graph (true) or the Java fallback. */
  boolean reductionsInGraph() {
    return graph != null;
  }

  /**
   * Scores {@code n} rows of raw (unscaled) values, row-major, {@code card().inputDim()} values a
   * row: a window of W rows of the card's features, oldest first.
   *
   * @return the scores, valid until the next call on this scorer
   * @throws IllegalArgumentException when a value is NaN or infinite (naming row and column)
   * @throws ScoringException when ONNX Runtime fails
   */
  public ScoreBatch score(float[] rawRows, int n) {
    checkOpen();
    scaler.checkRows(rawRows, n);
    grow(n);
    scaler.standardise(rawRows, n, xnorm);
    run(n);
    if (graph != null) {
      batch.computeFromGraph(n, xnorm, reconBuf, muBuf, logvarBuf, eBuf, klBuf);
    } else {
      int len = n * inputDim;
      int lat = n * latentDim;
      reconBuf.get(0, recon, 0, len);
      muBuf.get(0, mu, 0, lat);
      logvarBuf.get(0, logvar, 0, lat);
      batch.compute(n, xnorm, recon, mu, logvar);
    }
    return batch;
  }

  /**
   * The model's outputs for {@code n} already normalised rows, as copies (tests, export checks).
   */
  public Outputs forwardNormalised(float[] xnormRows, int n) {
    checkOpen();
    scaler.checkRows(xnormRows, n);
    grow(n);
    scaler.requireFinite(xnormRows, n);
    int len = n * inputDim;
    System.arraycopy(xnormRows, 0, xnorm, 0, len);
    run(n);
    int lat = n * latentDim;
    float[] r = new float[len];
    float[] m = new float[lat];
    float[] lv = new float[lat];
    if (n > 0) {
      reconBuf.get(0, r, 0, len);
      muBuf.get(0, m, 0, lat);
      logvarBuf.get(0, lv, 0, lat);
    }
    return new Outputs(n, inputDim, latentDim, r, m, lv);
  }

  public ModelCard card() {
    checkOpen();
    return card;
  }

  /**
   * The execution provider that runs the session: {@code CPUExecutionProvider} or {@code
   * CUDAExecutionProvider}.
   */
  public String provider() {
    checkOpen();
    return open.provider();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    unbind();
    try {
      open.close();
    } catch (OrtException e) {
      throw new IllegalStateException(
          "closing the ONNX Runtime session of " + modelLabel + " failed", e);
    }
  }

  /**
   * One session.run: xnorm[0, n*D) in; recon, mu, logvar (and E, KL on the graph path) out, left in
   * their direct buffers for the caller to read.
   */
  private void run(int n) {
    if (n == 0) {
      return; // ORT accepts N = 0, but there is nothing to compute
    }
    xBuf.clear();
    xBuf.put(xnorm, 0, n * inputDim);
    try {
      if (n != boundRows) {
        bind(n);
      }
      // Pinned outputs: ORT writes into our buffers, nothing to copy out of native memory.
      try (OrtSession.Result ignored = open.session().run(inputs, outputs)) {
        // the values are in the buffers; the Result does not own (or close) pinned outputs
      }
    } catch (OrtException ex) {
      throw new ScoringException(n, modelLabel, ex);
    }
  }

  /**
   * Makes the tensor handles over the buffers for batches of {@code n} rows. They are kept while
   * batches keep that size (a tensor over a direct buffer reads and writes the buffer itself, so
   * new values need no new handle): a JNI round trip per tensor saved on every such call.
   */
  private void bind(int n) throws OrtException {
    unbind();
    int len = n * inputDim;
    int lat = n * latentDim;
    try {
      inputs.put(ModelContract.INPUT, tensor(xBuf, len, n, inputDim));
      outputs.put(ModelContract.RECON, tensor(reconBuf, len, n, inputDim));
      outputs.put(ModelContract.MU, tensor(muBuf, lat, n, latentDim));
      outputs.put(ModelContract.LOGVAR, tensor(logvarBuf, lat, n, latentDim));
      if (graph != null) {
        outputs.put(graph.sqsumOutput(), tensor(eBuf, n, n));
        outputs.put(graph.klsumOutput(), tensor(klBuf, n, n));
      }
    } catch (OrtException | RuntimeException e) {
      unbind();
      throw e;
    }
    boundRows = n;
  }

  /** A tensor over the first {@code count} floats of {@code buf}, of the given shape. */
  private OnnxTensor tensor(FloatBuffer buf, int count, long... shape) throws OrtException {
    return OnnxTensor.createTensor(env, buf.clear().limit(count), shape);
  }

  private void unbind() {
    for (OnnxTensor t : inputs.values()) {
      t.close();
    }
    for (OnnxTensor t : outputs.values()) {
      t.close();
    }
    inputs.clear();
    outputs.clear();
    boundRows = -1;
  }

  private void grow(int n) {
    if (n <= capacity) {
      return;
    }
    int rows = Math.max(n, Math.max(INITIAL_ROWS, capacity * 2));
    unbind(); // the handles point into the buffers about to be replaced
    xnorm = new float[rows * inputDim];
    xBuf = directFloats(rows * inputDim);
    reconBuf = directFloats(rows * inputDim);
    muBuf = directFloats(rows * latentDim);
    logvarBuf = directFloats(rows * latentDim);
    if (graph != null) {
      eBuf = directFloats(rows);
      klBuf = directFloats(rows);
    } else {
      recon = new float[rows * inputDim];
      mu = new float[rows * latentDim];
      logvar = new float[rows * latentDim];
    }
    batch.ensureCapacity(rows);
    capacity = rows;
  }

  /** Native byte order, so ORT uses the memory in place instead of copying it. */
  private static FloatBuffer directFloats(int count) {
    return ByteBuffer.allocateDirect(4 * count).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("scorer for model " + modelLabel + " is closed");
    }
  }

  private static void closeQuietly(AutoCloseable c, Throwable primary) {
    try {
      c.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }
}
