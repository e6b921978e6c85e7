package io.vaeguard.bench.ceiling;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.vaeguard.model.export.OnnxGraphBuilder;
import java.util.List;
import java.util.Random;

/**
 * An ONNX graph of nothing but the model's matrix products: for layer {@code k} an input {@code
 * x<k> [N, in]}, a weight initializer {@code [in, out]} and one MatMul to output {@code y<k> [N,
 * out]}. Independent inputs keep every product in the graph with no activation, bias or copy
 * between them: what ONNX Runtime's GEMMs alone do with these shapes.
 */
public final class MatMulGraph {

  private MatMulGraph() {}

  public static byte[] build(List<LayerShapes.Layer> layers, long seed) {
    OnnxGraphBuilder g = new OnnxGraphBuilder();
    Random rnd = new Random(seed);
    for (int k = 0; k < layers.size(); k++) {
      LayerShapes.Layer l = layers.get(k);
      float[] w = new float[l.in() * l.out()];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (rnd.nextGaussian() * 0.1);
      }
      g.input(input(k), DataType.FLOAT, OnnxGraphBuilder.BATCH, l.in());
      g.floatInitializer("w" + k, w, l.in(), l.out());
      g.node("MatMul", List.of(input(k), "w" + k), List.of(output(k)));
      g.output(output(k), DataType.FLOAT, OnnxGraphBuilder.BATCH, l.out());
    }
    return g.toBytes("matmul-ceiling", "dev");
  }

  public static String input(int k) {
    return "x" + k;
  }

  public static String output(int k) {
    return "y" + k;
  }
}
