package io.vaeguard.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.quantize.Half;
import org.junit.jupiter.api.Test;

class OnnxWeightsReaderTest {

  @Test
  void readsBackTheExactFp32Weights() {
    VaeWeights w = TestModels.randomWeights(4, 10, 3, 16, 8);
    VaeWeights back =
        OnnxWeightsReader.read(VaeOnnxExporter.export(w, Precision.FP32, "m"), "m.onnx");
    assertThat(back).isEqualTo(w);
    assertThat(back.hidden()).containsExactly(16, 8);
  }

  @Test
  void readsFp16WeightsAsTheirHalfValues() {
    VaeWeights w = TestModels.randomWeights(5, 6, 2, 8);
    VaeWeights back =
        OnnxWeightsReader.read(VaeOnnxExporter.export(w, Precision.FP16W, "m"), "m.onnx");
    float orig = w.decoder().get(1).weights()[7];
    assertThat(back.decoder().get(1).weights()[7]).isEqualTo(Half.toFloat(Half.fromFloat(orig)));
  }

  @Test
  void refusesQuantizedModels() {
    VaeWeights w = TestModels.randomWeights(6, 6, 2, 8);
    assertThatThrownBy(
            () ->
                OnnxWeightsReader.read(
                    VaeOnnxExporter.export(w, Precision.INT8, "m"), "int8/model.onnx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("int8/model.onnx")
        .hasMessageContaining("quantized");
  }
}
