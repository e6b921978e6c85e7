package io.vaeguard.model.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.vaeguard.model.Dense;
import io.vaeguard.model.Precision;
import io.vaeguard.model.quantize.Half;
import io.vaeguard.model.quantize.Int8Weights;
import java.util.List;

/**
 * Writes one dense layer {@code y = x W + b} into a graph, in one of the stored precisions. The
 * rest of the network (ReLUs, heads, outputs) does not depend on the precision.
 */
interface LinearLayerWriter {

  /**
   * Adds the layer's initializers and nodes; names start with {@code prefix}, the result is
   * called {@code output}, which is returned.
   */
  String write(OnnxGraphBuilder g, String input, Dense d, String prefix, String output);

  static LinearLayerWriter of(Precision p) {
    return switch (p) {
      case FP32 -> LinearLayerWriter::fp32;
      case FP16W -> LinearLayerWriter::fp16Weights;
      case INT8 -> LinearLayerWriter::dynamicInt8;
    };
  }

  /** One Gemm on float initializers; [in, out] weights need no transpose. */
  private static String fp32(OnnxGraphBuilder g, String input, Dense d, String prefix, String output) {
    g.floatInitializer(prefix + "_W", d.weights(), d.in(), d.out());
    g.floatInitializer(prefix + "_b", d.bias(), d.out());
    return g.node("Gemm", List.of(input, prefix + "_W", prefix + "_b"), List.of(output));
  }

  /**
   * Half storage, float compute: Cast nodes on initializers, which ORT's constant folding turns
   * into float initializers when the session loads, so scoring costs the same as fp32.
   */
  private static String fp16Weights(OnnxGraphBuilder g, String input, Dense d, String prefix, String output) {
    g.float16Initializer(prefix + "_W16", Half.fromFloats(d.weights()), d.in(), d.out());
    g.float16Initializer(prefix + "_b16", Half.fromFloats(d.bias()), d.out());
    int toFloat = DataType.FLOAT.getNumber();
    String w = g.node("Cast", List.of(prefix + "_W16"), List.of(prefix + "_W"), "to", toFloat);
    String b = g.node("Cast", List.of(prefix + "_b16"), List.of(prefix + "_b"), "to", toFloat);
    return g.node("Gemm", List.of(input, w, b), List.of(output));
  }

  /**
   * Dynamic quantization, the pattern ORT's own quantizer emits and its optimizer fuses into one
   * kernel: the activations are quantized to uint8 per batch (one scale and zero point for the
   * whole tensor), multiplied by the int8 weights in int32, and rescaled by
   * {@code x_scale * w_scale[column]}; the float bias is added last.
   */
  private static String dynamicInt8(OnnxGraphBuilder g, String input, Dense d, String prefix, String output) {
    Int8Weights q = Int8Weights.quantize(d);
    g.int8Initializer(prefix + "_Wq", q.values(), d.in(), d.out());
    g.floatInitializer(prefix + "_Wscale", q.scales(), d.out());
    g.floatInitializer(prefix + "_b", d.bias(), d.out());
    String xq = prefix + "_xq";
    String xs = prefix + "_xscale";
    String xz = prefix + "_xzero";
    g.node("DynamicQuantizeLinear", List.of(input), List.of(xq, xs, xz));
    String acc = g.node("MatMulInteger", List.of(xq, prefix + "_Wq", xz), List.of(prefix + "_acc"));
    String accF = g.node("Cast", List.of(acc), List.of(prefix + "_accf"), "to", DataType.FLOAT.getNumber());
    String scale = g.node("Mul", List.of(xs, prefix + "_Wscale"), List.of(prefix + "_scale"));
    String y = g.node("Mul", List.of(accF, scale), List.of(prefix + "_y"));
    return g.node("Add", List.of(y, prefix + "_b"), List.of(output));
  }
}
