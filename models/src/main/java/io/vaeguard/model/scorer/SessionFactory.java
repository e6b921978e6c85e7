package io.vaeguard.model.scorer;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.vaeguard.model.ModelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an ONNX Runtime session on the execution provider the options ask for. CUDA is a wish, not
 * a requirement: where the ORT build has no CUDA, or no GPU answers, the session runs on CPU after
 * one WARN line, so the same job configuration runs on a laptop and on a GPU node.
 */
final class SessionFactory {

  static final String CPU = "CPUExecutionProvider";
  static final String CUDA = "CUDAExecutionProvider";

  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  private SessionFactory() {}

  /**
   * A session with the options it was made with (they must outlive it) and the provider that runs
   * it.
   */
  record OpenSession(OrtSession session, SessionOptions options, String provider)
      implements AutoCloseable {
    @Override
    public void close() throws OrtException {
      try {
        session.close();
      } finally {
        options.close();
      }
    }
  }

  static OpenSession open(OrtEnvironment env, ModelRef.Resolved src, ScorerOptions opts)
      throws OrtException {
    return open(env, src, null, opts);
  }

  /**
   * As {@link #open(OrtEnvironment, ModelRef.Resolved, ScorerOptions)}, from {@code model}
   * (serialized ONNX, e.g. the source's model with nodes added) instead of the source's own file
   * when not null.
   */
  static OpenSession open(
      OrtEnvironment env, ModelRef.Resolved src, byte[] model, ScorerOptions opts)
      throws OrtException {
    if (opts.wantsCuda()) {
      String why;
      if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
        why = "this ONNX Runtime build has no CUDA provider (use the onnxruntime_gpu artifact)";
      } else {
        SessionOptions so = baseOptions(opts);
        try {
          so.addCUDA(opts.cudaDevice());
          return new OpenSession(create(env, src, model, so), so, CUDA);
        } catch (OrtException | RuntimeException | LinkageError e) {
          so.close();
          why = e.getMessage();
        }
      }
      LOG.warn(
          "device {} was asked for but CUDA is not usable ({}); model {} runs on CPU",
          opts.device(),
          why,
          src.where());
    }
    SessionOptions so = baseOptions(opts);
    try {
      return new OpenSession(create(env, src, model, so), so, CPU);
    } catch (OrtException | RuntimeException e) {
      so.close();
      throw e;
    }
  }

  private static SessionOptions baseOptions(ScorerOptions opts) throws OrtException {
    SessionOptions so = new SessionOptions();
    try {
      so.setIntraOpNumThreads(opts.intraOpThreads());
      so.setOptimizationLevel(opts.optimizationLevel());
      return so;
    } catch (OrtException e) {
      so.close();
      throw e;
    }
  }

  private static OrtSession create(
      OrtEnvironment env, ModelRef.Resolved src, byte[] model, SessionOptions so)
      throws OrtException {
    if (model != null) {
      return env.createSession(model, so);
    }
    return src.onnxFile() != null
        ? env.createSession(src.onnxFile().toString(), so)
        : env.createSession(src.onnxBytes(), so);
  }
}
