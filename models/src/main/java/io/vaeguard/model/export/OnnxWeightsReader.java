package io.vaeguard.model.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.vaeguard.model.Dense;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.quantize.Half;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link VaeWeights} back from an ONNX model that {@link VaeOnnxExporter} wrote in fp32 or
 * fp16w: the initializers {@code enc<i>_W}/{@code _b}, {@code mu_*}, {@code logvar_*} and {@code
 * dec<i>_*} (fp16w: the same names with a {@code 16} suffix). So a trained model directory is all
 * that compression needs; quantized files are refused, since their weights are rounded.
 */
public final class OnnxWeightsReader {

  private final Map<String, TensorProto> initializers = new HashMap<>();
  private final String where;

  private OnnxWeightsReader(ModelProto model, String where) {
    for (TensorProto t : model.getGraph().getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    this.where = where;
  }

  public static VaeWeights read(Path onnx) {
    try {
      return read(Files.readAllBytes(onnx), onnx.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model " + onnx + ": " + e.getMessage(), e);
    }
  }

  public static VaeWeights read(byte[] bytes, String where) {
    ModelProto m;
    try {
      m = ModelProto.parseFrom(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + " is not an ONNX model: " + e.getMessage(), e);
    }
    return new OnnxWeightsReader(m, where).weights();
  }

  private VaeWeights weights() {
    if (!has("enc0")) {
      String quantized =
          initializers.containsKey("enc0_Wq")
              ? " (it is quantized: give the fp32 model instead)"
              : "";
      throw new IllegalArgumentException(
          "cannot read VAE weights from "
              + where
              + ": no initializer enc0_W or enc0_W16"
              + quantized
              + "; only models written by vaeguard's exporter in fp32 or fp16w can be read back");
    }
    List<Dense> enc = new ArrayList<>();
    for (int i = 0; has("enc" + i); i++) {
      enc.add(dense("enc" + i));
    }
    List<Dense> dec = new ArrayList<>();
    for (int i = 0; has("dec" + i); i++) {
      dec.add(dense("dec" + i));
    }
    try {
      return new VaeWeights(enc, dense("mu"), dense("logvar"), dec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the layers in " + where + " do not form a VAE: " + e.getMessage(), e);
    }
  }

  private boolean has(String layer) {
    return initializers.containsKey(layer + "_W") || initializers.containsKey(layer + "_W16");
  }

  private Dense dense(String layer) {
    TensorProto w = tensor(layer + "_W", layer + "_W16");
    TensorProto b = tensor(layer + "_b", layer + "_b16");
    if (w.getDimsCount() != 2 || b.getDimsCount() != 1 || b.getDims(0) != w.getDims(1)) {
      throw new IllegalArgumentException(
          where
              + ": layer "
              + layer
              + " has weights "
              + w.getDimsList()
              + " and bias "
              + b.getDimsList()
              + "; expected [in, out] and [out]");
    }
    return new Dense((int) w.getDims(0), (int) w.getDims(1), floats(w), floats(b));
  }

  private TensorProto tensor(String name, String halfName) {
    TensorProto t =
        initializers.containsKey(name) ? initializers.get(name) : initializers.get(halfName);
    if (t == null) {
      throw new IllegalArgumentException(
          where + " has no initializer " + name + " (or " + halfName + ")");
    }
    return t;
  }

  private float[] floats(TensorProto t) {
    int n = 1;
    for (long d : t.getDimsList()) {
      n *= (int) d;
    }
    float[] out = new float[n];
    if (t.getDataType() == DataType.FLOAT.getNumber()) {
      if (!t.getRawData().isEmpty()) {
        t.getRawData()
            .asReadOnlyByteBuffer()
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(out);
      } else {
        for (int i = 0; i < n; i++) {
          out[i] = t.getFloatData(i);
        }
      }
    } else if (t.getDataType() == DataType.FLOAT16.getNumber()) {
      if (!t.getRawData().isEmpty()) {
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          out[i] = Half.toFloat(b.getShort(2 * i));
        }
      } else {
        for (int i = 0; i < n; i++) {
          out[i] = Half.toFloat((short) t.getInt32Data(i));
        }
      }
    } else {
      throw new IllegalArgumentException(
          where
              + ": initializer "
              + t.getName()
              + " has data type "
              + DataType.forNumber(t.getDataType())
              + "; expected FLOAT or FLOAT16");
    }
    return out;
  }
}
