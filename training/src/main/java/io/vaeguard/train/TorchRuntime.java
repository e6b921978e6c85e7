package io.vaeguard.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The PyTorch engine and its per-thread settings. PyTorch keeps both the grad mode and the OpenMP
 * thread count per OS thread, so every setting is made, and undone, on the thread that runs the
 * ops.
 */
final class TorchRuntime {

  static final String ENGINE = "PyTorch";

  private TorchRuntime() {}

  /**
   * The PyTorch engine, loaded from the native jar on the class path. With {@code
   * -Dai.djl.offline=true} DJL never downloads; the native libraries are extracted once into DJL's
   * cache dir ({@code DJL_CACHE_DIR}, default {@code ~/.djl.ai}).
   */
  static Engine engine() {
    try {
      return Engine.getEngine(ENGINE);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot load DJL's PyTorch engine; pytorch-engine, pytorch-jni and pytorch-native-cpu"
              + " must be on the class path with matching versions: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Runs {@code body} with grad mode off and {@code threads} intra-op threads, then leaves this
   * thread at one intra-op thread. One thread afterwards, because an idle OpenMP team sized for
   * training keeps competing for the cores with ONNX Runtime in the same JVM.
   */
  static <T> T withThreads(int threads, java.util.function.Supplier<T> body) {
    engine();
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    JniUtils.setNumThreads(threads);
    try {
      return body.get();
    } finally {
      JniUtils.setNumThreads(1);
      JniUtils.setGradMode(grad);
    }
  }
}
