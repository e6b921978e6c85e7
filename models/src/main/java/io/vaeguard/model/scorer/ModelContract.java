package io.vaeguard.model.scorer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import io.vaeguard.model.card.ModelCard;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Checks, when a model loads, that its ONNX file is a VAE by the contract (docs/ARCHITECTURE.md,
 * section 2) and fits its card: one float input {@code x [N, D]}, float outputs {@code recon [N,
 * D]}, {@code mu [N, K]}, {@code logvar [N, K]}, with D and K as the card says. Declared shapes are
 * checked first; then one probe row runs, since an exporter may leave dimensions symbolic. Every
 * failure is an {@link IllegalArgumentException} that names the mismatch.
 */
final class ModelContract {

  static final String INPUT = "x";
  static final String RECON = "recon";
  static final String MU = "mu";
  static final String LOGVAR = "logvar";

  private ModelContract() {}

  static void check(
      OrtEnvironment env, OrtSession session, ModelCard card, String onnxName, String where)
      throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    String suffix = " (model in " + where + ")";
    if (!inputs.containsKey(INPUT)) {
      throw new IllegalArgumentException(
          onnxName
              + " has no input '"
              + INPUT
              + "' (inputs: "
              + String.join(", ", inputs.keySet())
              + ")"
              + suffix);
    }
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          onnxName
              + " has "
              + inputs.size()
              + " inputs ("
              + String.join(", ", inputs.keySet())
              + "); the contract allows only '"
              + INPUT
              + "'"
              + suffix);
    }
    for (String name : new String[] {RECON, MU, LOGVAR}) {
      if (!outputs.containsKey(name)) {
        throw new IllegalArgumentException(
            onnxName
                + " has no output '"
                + name
                + "' (outputs: "
                + String.join(", ", outputs.keySet())
                + ")"
                + suffix);
      }
    }
    String cardInputs =
        "model.json says "
            + card.inputDim()
            + " inputs ("
            + card.features().size()
            + " features x window "
            + card.window()
            + ")";
    long d = columns(inputs.get(INPUT), onnxName + " input", suffix);
    if (d >= 0 && d != card.inputDim()) {
      throw new IllegalArgumentException(
          cardInputs + " but " + onnxName + " input x has " + d + suffix);
    }
    long r = columns(outputs.get(RECON), onnxName + " output", suffix);
    if (r >= 0 && r != card.inputDim()) {
      throw new IllegalArgumentException(
          cardInputs + " but " + onnxName + " output recon has " + r + suffix);
    }
    for (String head : new String[] {MU, LOGVAR}) {
      long k = columns(outputs.get(head), onnxName + " output", suffix);
      if (k >= 0 && k != card.latentDim()) {
        throw new IllegalArgumentException(
            "latentDim " + card.latentDim() + " in card but " + head + " has " + k + suffix);
      }
    }
    if (card.calibration() == null) {
      throw new IllegalArgumentException("model.json has no calibration" + suffix);
    }
    probe(env, session, card, onnxName, suffix);
  }

  /** The declared column count of a {@code [N, C]} float tensor, or -1 where it is symbolic. */
  private static long columns(NodeInfo node, String what, String suffix) {
    if (!(node.getInfo() instanceof TensorInfo t)) {
      throw new IllegalArgumentException(
          what + " " + node.getName() + " is not a tensor: " + node.getInfo() + suffix);
    }
    if (t.onnxType != OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
      throw new IllegalArgumentException(
          what
              + " "
              + node.getName()
              + " is "
              + typeName(t.onnxType)
              + "; the contract needs float"
              + suffix);
    }
    long[] shape = t.getShape();
    if (shape.length != 2) {
      throw new IllegalArgumentException(
          what
              + " "
              + node.getName()
              + " has shape "
              + Arrays.toString(shape)
              + "; the contract needs [N, columns]"
              + suffix);
    }
    return shape[1];
  }

  /** {@code ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64} -> {@code int64}, as people write it. */
  private static String typeName(OnnxTensorType type) {
    return type.name()
        .replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "")
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** Runs one zero row: the shapes the graph really produces must match the card too. */
  private static void probe(
      OrtEnvironment env, OrtSession session, ModelCard card, String onnxName, String suffix)
      throws OrtException {
    int d = card.inputDim();
    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.allocate(d), new long[] {1, d});
        OrtSession.Result res = session.run(Map.of(INPUT, x))) {
      requireShape(res, RECON, d, onnxName, suffix);
      requireShape(res, MU, card.latentDim(), onnxName, suffix);
      requireShape(res, LOGVAR, card.latentDim(), onnxName, suffix);
    }
  }

  private static void requireShape(
      OrtSession.Result res, String name, int cols, String onnxName, String suffix)
      throws OrtException {
    Object info = res.get(name).orElseThrow().getInfo();
    long[] shape = ((TensorInfo) info).getShape();
    if (shape.length != 2 || shape[0] != 1 || shape[1] != cols) {
      throw new IllegalArgumentException(
          "model card expects "
              + name
              + " of shape [1, "
              + cols
              + "] for one row but "
              + onnxName
              + " produced "
              + Arrays.toString(shape)
              + suffix);
    }
  }
}
