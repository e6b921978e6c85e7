package io.vaeguard.model.scorer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores batches of rows with a VAE in ONNX Runtime: one session, one {@code session.run} per
 * batch, buffers reused between batches. One instance per Flink subtask; not thread-safe.
 *
 * <p>The input and the three outputs live in direct buffers that ONNX Runtime reads and writes in
 * place (the outputs are "pinned"), sized for the largest batch seen so far; per call only the
 * small tensor handles are created. The {@link ScoreBatch} returned is reused too: it is valid
 * until the next call.
 *
 * <p>Lifetimes follow ORT's own: the environment is shared and never closed; the session options
 * live as long as the session; after {@link #close()} every method throws
 * {@link IllegalStateException}.
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
  private final double[] columnMean; // scaler per input column (feature = column % F)
  private final double[] columnStd;
  private final ScoreBatch batch;

  // Reused between calls; grown to the largest batch seen.
  private int capacity;
  private float[] xnorm;
  private float[] recon;
  private float[] mu;
  private float[] logvar;
  private FloatBuffer xBuf;
  private FloatBuffer reconBuf;
  private FloatBuffer muBuf;
  private FloatBuffer logvarBuf;
  private final long[] inputShape = new long[2];
  private final long[] latentShape = new long[2];
  private final Map<String, OnnxTensor> inputs = new HashMap<>(2);
  private final Map<String, OnnxTensor> outputs = new HashMap<>(4);

  private boolean closed;

  private VaeScorer(OrtEnvironment env, SessionFactory.OpenSession open, ModelCard card) {
    this.env = env;
    this.open = open;
    this.card = card;
    this.modelLabel = card.name() + " " + card.version() + " (" + card.precision() + ")";
    this.inputDim = card.inputDim();
    this.latentDim = card.latentDim();
    Scaler scaler = card.scaler();
    int f = card.features().size();
    this.columnMean = new double[inputDim];
    this.columnStd = new double[inputDim];
    for (int c = 0; c < inputDim; c++) {
      columnMean[c] = scaler.mean()[c % f];
      columnStd[c] = scaler.std()[c % f];
    }
    this.batch = new ScoreBatch(card);
    grow(INITIAL_ROWS);
  }

  /**
   * Opens the model in {@code dir}: either the directory holds {@code model.json} and
   * {@code model.onnx} itself, or it has one sub-directory per precision ({@code dir/int8/}, ...)
   * and {@code precision} picks one. The card's precision must be {@code precision}.
   *
   * @throws IllegalArgumentException when files are missing or the ONNX model does not fit the
   *     contract or its card; the message names the path and the mismatch
   */
  public static VaeScorer open(Path dir, Precision precision, ScorerOptions opts) {
    return open(ModelSource.directory(dir, precision), opts);
  }

  /** As {@link #open}, for a model on the classpath (e.g. {@code "models/default"} inside a jar). */
  public static VaeScorer openClasspath(String resourceDir, Precision precision, ScorerOptions opts) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = VaeScorer.class.getClassLoader();
    }
    return open(ModelSource.classpath(resourceDir, precision, loader), opts);
  }

  private static VaeScorer open(ModelSource src, ScorerOptions opts) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    SessionFactory.OpenSession s;
    try {
      s = SessionFactory.open(env, src, opts);
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime cannot load " + src.onnxName() + " in " + src.where() + ": " + e.getMessage(), e);
    }
    try {
      ModelContract.check(env, s.session(), src.card(), src.onnxName(), src.where());
      VaeScorer scorer = new VaeScorer(env, s, src.card());
      LOG.info("model {} from {} runs on {} ({} intra-op thread(s), optimization {})",
          scorer.modelLabel, src.where(), s.provider(), opts.intraOpThreads(), opts.optimizationLevel());
      return scorer;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(s, e);
      if (e instanceof OrtException oe) {
        throw new IllegalArgumentException(
            "ONNX Runtime cannot run " + src.onnxName() + " in " + src.where() + ": " + oe.getMessage(), oe);
      }
      throw (RuntimeException) e;
    }
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
    checkRows(rawRows, n);
    grow(n);
    for (int r = 0, k = 0; r < n; r++) {
      for (int c = 0; c < inputDim; c++, k++) {
        float v = rawRows[k];
        float x = (float) ((v - columnMean[c]) / columnStd[c]);
        if (!Float.isFinite(x)) {
          throw nonFinite(v, r, c);
        }
        xnorm[k] = x;
      }
    }
    run(n);
    batch.compute(n, xnorm, recon, mu, logvar);
    return batch;
  }

  /** The model's outputs for {@code n} already normalised rows, as copies (tests, export checks). */
  public Outputs forwardNormalised(float[] xnormRows, int n) {
    checkOpen();
    checkRows(xnormRows, n);
    grow(n);
    int len = n * inputDim;
    for (int k = 0; k < len; k++) {
      if (!Float.isFinite(xnormRows[k])) {
        throw nonFinite(xnormRows[k], k / inputDim, k % inputDim);
      }
    }
    System.arraycopy(xnormRows, 0, xnorm, 0, len);
    run(n);
    return new Outputs(n, inputDim, latentDim,
        Arrays.copyOf(recon, len), Arrays.copyOf(mu, n * latentDim), Arrays.copyOf(logvar, n * latentDim));
  }

  public ModelCard card() {
    checkOpen();
    return card;
  }

  /** The execution provider that runs the session: {@code CPUExecutionProvider} or {@code CUDAExecutionProvider}. */
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
    try {
      open.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session of " + modelLabel + " failed", e);
    }
  }

  /** One session.run: xnorm[0, n*D) in, recon/mu/logvar[0, n*...) out. */
  private void run(int n) {
    if (n == 0) {
      return; // ORT accepts N = 0, but there is nothing to compute
    }
    int len = n * inputDim;
    int lat = n * latentDim;
    xBuf.clear();
    xBuf.put(xnorm, 0, len).flip();
    reconBuf.clear().limit(len);
    muBuf.clear().limit(lat);
    logvarBuf.clear().limit(lat);
    inputShape[0] = n;
    inputShape[1] = inputDim;
    latentShape[0] = n;
    latentShape[1] = latentDim;
    try (OnnxTensor x = OnnxTensor.createTensor(env, xBuf, inputShape);
        OnnxTensor r = OnnxTensor.createTensor(env, reconBuf, inputShape);
        OnnxTensor m = OnnxTensor.createTensor(env, muBuf, latentShape);
        OnnxTensor lv = OnnxTensor.createTensor(env, logvarBuf, latentShape)) {
      inputs.put(ModelContract.INPUT, x);
      outputs.put(ModelContract.RECON, r);
      outputs.put(ModelContract.MU, m);
      outputs.put(ModelContract.LOGVAR, lv);
      // Pinned outputs: ORT writes into our buffers, nothing to copy out of native memory.
      try (OrtSession.Result ignored = open.session().run(inputs, outputs)) {
        reconBuf.get(0, recon, 0, len);
        muBuf.get(0, mu, 0, lat);
        logvarBuf.get(0, logvar, 0, lat);
      }
    } catch (OrtException e) {
      throw new ScoringException(n, modelLabel, e);
    } finally {
      inputs.clear();
      outputs.clear();
    }
  }

  private void grow(int n) {
    if (n <= capacity) {
      return;
    }
    int rows = Math.max(n, Math.max(INITIAL_ROWS, capacity * 2));
    xnorm = new float[rows * inputDim];
    recon = new float[rows * inputDim];
    mu = new float[rows * latentDim];
    logvar = new float[rows * latentDim];
    xBuf = directFloats(rows * inputDim);
    reconBuf = directFloats(rows * inputDim);
    muBuf = directFloats(rows * latentDim);
    logvarBuf = directFloats(rows * latentDim);
    batch.ensureCapacity(rows);
    capacity = rows;
  }

  /** Native byte order, so ORT uses the memory in place instead of copying it. */
  private static FloatBuffer directFloats(int count) {
    return ByteBuffer.allocateDirect(4 * count).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private void checkRows(float[] rows, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("row count must be >= 0, got " + n);
    }
    if ((long) n * inputDim > rows.length) {
      throw new IllegalArgumentException(
          n + " rows of " + inputDim + " values need " + (long) n * inputDim + " floats, got " + rows.length);
    }
  }

  private IllegalArgumentException nonFinite(float value, int row, int col) {
    int f = card.features().size();
    String what = Float.isFinite(value)
        ? "is " + value + ", which standardises beyond the float range (mean " + columnMean[col] + ", std "
            + columnStd[col] + ")"
        : "is " + value;
    return new IllegalArgumentException("row " + row + " column " + col + " (feature " + card.features().get(col % f)
        + ", window position " + col / f + ") " + what + "; model " + modelLabel + " needs finite inputs");
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
