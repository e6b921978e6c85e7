package io.vaeguard.bench.ceiling;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense layers of an fp32 ONNX model, read from its MatMul and Gemm nodes whose weight is an
 * initializer: {@code [in, out]} per layer in graph order. The FLOPs of one record through them are
 * {@code 2 * sum(in * out)} (a multiply and an add per weight); biases and activations are left
 * out, they are O(out) against O(in * out).
 */
public final class LayerShapes {

  /** One dense layer's weight shape. */
  public record Layer(String node, int in, int out) {
    public Layer {
      if (in < 1 || out < 1) {
        throw new IllegalArgumentException(
            "layer " + node + " has shape [" + in + ", " + out + "]");
      }
    }
  }

  private LayerShapes() {}

  /**
   * The layers of {@code onnxFile}; fails when it has none (an int8 model: read its fp32 sibling).
   */
  public static List<Layer> read(Path onnxFile) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(Files.readAllBytes(onnxFile));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read ONNX model " + onnxFile + ": " + e.getMessage(), e);
    }
    List<Layer> layers = of(model.getGraph());
    if (layers.isEmpty()) {
      throw new IllegalArgumentException(
          onnxFile
              + " has no MatMul or Gemm node with a 2-d weight initializer; "
              + "give the fp32 model");
    }
    return layers;
  }

  static List<Layer> of(GraphProto graph) {
    Map<String, TensorProto> init = new HashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      init.put(t.getName(), t);
    }
    List<Layer> layers = new ArrayList<>();
    for (NodeProto n : graph.getNodeList()) {
      boolean gemm = n.getOpType().equals("Gemm");
      if (!(gemm || n.getOpType().equals("MatMul")) || n.getInputCount() < 2) {
        continue;
      }
      TensorProto w = init.get(n.getInput(1));
      if (w == null || w.getDimsCount() != 2) {
        continue;
      }
      int rows = (int) w.getDims(0);
      int cols = (int) w.getDims(1);
      boolean transB =
          gemm
              && n.getAttributeList().stream()
                  .anyMatch(
                      a ->
                          a.getName().equals("transB")
                              && a.getType() == AttributeProto.AttributeType.INT
                              && a.getI() != 0);
      layers.add(transB ? new Layer(n.getName(), cols, rows) : new Layer(n.getName(), rows, cols));
    }
    return layers;
  }

  /** {@code 2 * sum(in * out)}: the multiply-adds of one record through every layer. */
  public static long flopsPerRecord(List<Layer> layers) {
    long macs = 0;
    for (Layer l : layers) {
      macs += (long) l.in() * l.out();
    }
    return 2 * macs;
  }
}
