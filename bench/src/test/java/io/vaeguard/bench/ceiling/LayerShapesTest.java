package io.vaeguard.bench.ceiling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.vaeguard.model.export.OnnxGraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerShapesTest {

  @Test
  void flopsAreTwiceTheSumOfWeightCounts() {
    List<LayerShapes.Layer> layers =
        List.of(new LayerShapes.Layer("a", 8, 64), new LayerShapes.Layer("b", 64, 32));
    assertThat(LayerShapes.flopsPerRecord(layers)).isEqualTo(2L * (8 * 64 + 64 * 32));
    assertThat(LayerShapes.flopsPerRecord(List.of())).isZero();
  }

  @Test
  void readsMatMulAndGemmWeightsAndHonoursTransB() throws Exception {
    OnnxGraphBuilder g = new OnnxGraphBuilder();
    g.input("x", DataType.FLOAT, OnnxGraphBuilder.BATCH, 4);
    g.floatInitializer("w0", new float[4 * 3], 4, 3);
    g.floatInitializer("b0", new float[3], 3);
    g.node("Gemm", List.of("x", "w0", "b0"), List.of("h"));
    g.node("Relu", List.of("h"), List.of("r"));
    g.floatInitializer("w1", new float[2 * 3], 2, 3); // [out, in] with transB
    g.node("Gemm", List.of("r", "w1"), List.of("y"), "transB", 1);
    g.floatInitializer("w2", new float[2 * 5], 2, 5);
    g.node("MatMul", List.of("y", "w2"), List.of("z"));
    g.output("z", DataType.FLOAT, OnnxGraphBuilder.BATCH, 5);
    ModelProto m = ModelProto.parseFrom(g.toBytes("t", "test"));

    List<LayerShapes.Layer> layers = LayerShapes.of(m.getGraph());

    assertThat(layers).extracting(LayerShapes.Layer::in).containsExactly(4, 3, 2);
    assertThat(layers).extracting(LayerShapes.Layer::out).containsExactly(3, 2, 5);
    assertThat(LayerShapes.flopsPerRecord(layers)).isEqualTo(2L * (12 + 6 + 10));
  }

  @Test
  void theCeilingGraphHasOneMatMulPerLayer() throws Exception {
    List<LayerShapes.Layer> layers =
        List.of(new LayerShapes.Layer("a", 8, 64), new LayerShapes.Layer("b", 64, 8));
    ModelProto m = ModelProto.parseFrom(MatMulGraph.build(layers, 1));
    assertThat(LayerShapes.of(m.getGraph()))
        .extracting(LayerShapes.Layer::in, LayerShapes.Layer::out)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(8, 64), org.assertj.core.groups.Tuple.tuple(64, 8));
    assertThat(m.getGraph().getInputCount()).isEqualTo(2);
  }
}
