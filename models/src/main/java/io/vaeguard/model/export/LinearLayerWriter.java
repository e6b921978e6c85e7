package io.vaeguard.model.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.vaeguard.model.Dense;
import io.vaeguard.model.Precision;
import io.vaeguard.model.quantize.ActivationRanges;
import io.vaeguard.model.quantize.Half;
import io.vaeguard.model.quantize.Int8Weights;
import java.util.List;

/**
 * Writes one dense layer {@code y = x W + b} into a graph, in one of the stored precisions. The
 * rest of the network (ReLUs, heads, outputs) does not depend on the precision.
 */
interface LinearLayerWriter {

  /**
   * Adds the layer's initializers and nodes; names start with {@code prefix}, the result is called
   * {@code output}, which is returned.
   */
  String write(OnnxGraphBuilder g, String input, Dense d, String prefix, String output);

  static LinearLayerWriter of(Precision p) {
    return switch (p) {
      case FP32 -> LinearLayerWriter::fp32;
      case FP16W -> LinearLayerWriter::fp16Weights;
      case INT8 -> LinearLayerWriter::dynamicInt8;
      case INT8_STATIC ->
          throw new IllegalArgumentException(
              "precision "
                  + p.id()
                  + " needs activation ranges from calibration rows; use staticInt8(ranges)");
    };
  }

  /**
   * Static quantization in the QDQ format ORT's own static quantizer writes: the layer's input is
   * quantized to uint8 with a scale and zero point fixed from {@code ranges} (QuantizeLinear, then
   * DequantizeLinear); the int8 weights are dequantized per output column; the bias is int32 in the
   * product scale {@code x_scale * w_scale[column]}; one Gemm on the three dequantized values.
   * ORT's QDQ optimizer fuses that into an integer Gemm (QGemm), with uint8 output where the next
   * layer quantizes it anyway (a ReLU in between folds into the zero point) and float output
   * elsewhere. Weights are symmetric in 7 bits (see {@link Int8Weights}).
   *
   * <p>Layers that read the same value (the mu and logvar heads) share one Quantize/Dequantize
   * pair, the first layer's: two pairs on one value keep ORT from fusing either consumer. The mu
   * head itself stays a float Gemm on dequantized values (ORT 1.29 does not fuse a Gemm whose
   * output is both a graph output and quantized by the next layer); it is the smallest layer.
   */
  static LinearLayerWriter staticInt8(ActivationRanges ranges) {
    java.util.Map<String, String[]> quantized =
        new java.util.HashMap<>(); // input -> {prefix, dequantized}
    return (g, input, d, prefix, output) -> {
      String[] shared = quantized.get(input);
      String qp = shared != null ? shared[0] : prefix;
      ActivationRanges.Uint8Params a = ranges.uint8(qp);
      Int8Weights q = Int8Weights.quantize(d);
      float[] biasScale = new float[d.out()];
      int[] biasQ = new int[d.out()];
      for (int j = 0; j < d.out(); j++) {
        biasScale[j] = a.scale() * q.scales()[j];
        biasQ[j] =
            (int)
                Math.max(
                    Integer.MIN_VALUE + 1,
                    Math.min(Integer.MAX_VALUE, Math.round(d.bias()[j] / (double) biasScale[j])));
      }
      String xd;
      if (shared != null) {
        xd = shared[1];
      } else {
        g.floatInitializer(prefix + "_xscale", new float[] {a.scale()});
        g.uint8Initializer(prefix + "_xzero", new byte[] {a.zeroPoint()});
        String xq =
            g.node(
                "QuantizeLinear",
                List.of(input, prefix + "_xscale", prefix + "_xzero"),
                List.of(prefix + "_xq"));
        xd =
            g.node(
                "DequantizeLinear",
                List.of(xq, prefix + "_xscale", prefix + "_xzero"),
                List.of(prefix + "_xd"));
        quantized.put(input, new String[] {prefix, xd});
      }
      g.int8Initializer(prefix + "_Wq", q.values(), d.in(), d.out());
      g.floatInitializer(prefix + "_Wscale", q.scales(), d.out());
      g.int8Initializer(prefix + "_Wzero", new byte[d.out()], d.out());
      g.int32Initializer(prefix + "_bq", biasQ, d.out());
      g.floatInitializer(prefix + "_bscale", biasScale, d.out());
      g.int32Initializer(prefix + "_bzero", new int[d.out()], d.out());
      String wd =
          g.node(
              "DequantizeLinear",
              List.of(prefix + "_Wq", prefix + "_Wscale", prefix + "_Wzero"),
              List.of(prefix + "_Wd"),
              "axis",
              1);
      String bd =
          g.node(
              "DequantizeLinear",
              List.of(prefix + "_bq", prefix + "_bscale", prefix + "_bzero"),
              List.of(prefix + "_bd"),
              "axis",
              0);
      return g.node("Gemm", List.of(xd, wd, bd), List.of(output));
    };
  }

  /** One Gemm on float initializers; [in, out] weights need no transpose. */
  private static String fp32(
      OnnxGraphBuilder g, String input, Dense d, String prefix, String output) {
    g.floatInitializer(prefix + "_W", d.weights(), d.in(), d.out());
    g.floatInitializer(prefix + "_b", d.bias(), d.out());
    return g.node("Gemm", List.of(input, prefix + "_W", prefix + "_b"), List.of(output));
  }

  /**
   * Half storage, float compute: Cast nodes on initializers, which ORT's constant folding turns
   * into float initializers when the session loads, so scoring costs the same as fp32.
   */
  private static String fp16Weights(
      OnnxGraphBuilder g, String input, Dense d, String prefix, String output) {
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
   * whole tensor), multiplied by the int8 weights in int32, and rescaled by {@code x_scale *
   * w_scale[column]}; the float bias is added last.
   */
  private static String dynamicInt8(
      OnnxGraphBuilder g, String input, Dense d, String prefix, String output) {
    Int8Weights q = Int8Weights.quantize(d);
    g.int8Initializer(prefix + "_Wq", q.values(), d.in(), d.out());
    g.floatInitializer(prefix + "_Wscale", q.scales(), d.out());
    g.floatInitializer(prefix + "_b", d.bias(), d.out());
    String xq = prefix + "_xq";
    String xs = prefix + "_xscale";
    String xz = prefix + "_xzero";
    g.node("DynamicQuantizeLinear", List.of(input), List.of(xq, xs, xz));
    String acc = g.node("MatMulInteger", List.of(xq, prefix + "_Wq", xz), List.of(prefix + "_acc"));
    String accF =
        g.node("Cast", List.of(acc), List.of(prefix + "_accf"), "to", DataType.FLOAT.getNumber());
    String scale = g.node("Mul", List.of(xs, prefix + "_Wscale"), List.of(prefix + "_scale"));
    String y = g.node("Mul", List.of(accF, scale), List.of(prefix + "_y"));
    return g.node("Add", List.of(y, prefix + "_b"), List.of(output));
  }
}
