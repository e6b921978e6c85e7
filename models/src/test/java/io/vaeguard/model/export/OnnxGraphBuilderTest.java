package io.vaeguard.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxGraphBuilderTest {

  @Test
  void symbolicBatchDimensionAndOpset() {
    ModelProto m =
        new OnnxGraphBuilder()
            .input("x", DataType.FLOAT, OnnxGraphBuilder.BATCH, 3)
            .output("y", DataType.FLOAT, OnnxGraphBuilder.BATCH, 3)
            .build("g", "test");
    assertThat(
            m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam())
        .isEqualTo("N");
    assertThat(
            m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue())
        .isEqualTo(3);
    assertThat(m.getOpsetImportList())
        .singleElement()
        .satisfies(o -> assertThat(o.getVersion()).isEqualTo(OnnxGraphBuilder.DEFAULT_OPSET));
  }

  @Test
  void refusesDuplicateNamesAndWrongSizes() {
    OnnxGraphBuilder g = new OnnxGraphBuilder().input("x", DataType.FLOAT, 1);
    assertThatThrownBy(() -> g.floatInitializer("x", new float[1], 1))
        .hasMessageContaining("'x' is already used");
    assertThatThrownBy(() -> g.floatInitializer("w", new float[5], 2, 3))
        .hasMessageContaining("5 values for shape [2, 3]");
    assertThatThrownBy(() -> g.node("Relu", List.of("x"), List.of("x")))
        .hasMessageContaining("already used");
  }

  @Test
  void eachPrecisionStoresWeightsInItsOwnType() throws InvalidProtocolBufferException {
    var w = TestModels.randomWeights(1, 80, 8, 128, 64);
    ModelProto fp32 = ModelProto.parseFrom(VaeOnnxExporter.export(w, Precision.FP32, "g"));
    ModelProto fp16 = ModelProto.parseFrom(VaeOnnxExporter.export(w, Precision.FP16W, "g"));
    ModelProto int8 = ModelProto.parseFrom(VaeOnnxExporter.export(w, Precision.INT8, "g"));
    assertThat(types(fp32)).containsOnly(DataType.FLOAT_VALUE);
    assertThat(types(fp16)).containsOnly(DataType.FLOAT16_VALUE);
    assertThat(types(int8)).contains(DataType.INT8_VALUE);
    assertThat(int8.getGraph().getNodeList())
        .extracting(NodeProto::getOpType)
        .contains("DynamicQuantizeLinear", "MatMulInteger")
        .doesNotContain("Gemm");
    assertThat(fp32.getGraph().getOutputList())
        .extracting(o -> o.getName())
        .containsExactly("recon", "mu", "logvar");
    // half storage halves the weights, int8 quarters them
    assertThat(fp16.getSerializedSize()).isLessThan(fp32.getSerializedSize() * 6 / 10);
    assertThat(int8.getSerializedSize()).isLessThan(fp32.getSerializedSize() * 4 / 10);
  }

  private static List<Integer> types(ModelProto m) {
    return m.getGraph().getInitializerList().stream().map(TensorProto::getDataType).toList();
  }
}
