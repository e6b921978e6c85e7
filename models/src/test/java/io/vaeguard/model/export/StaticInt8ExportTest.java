package io.vaeguard.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.quantize.ActivationRanges;
import io.vaeguard.model.scorer.Outputs;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static int8 (QDQ) against the fp32 reference network. */
class StaticInt8ExportTest {

  private static final int D = 8;
  private static final int K = 4;

  @TempDir Path tmp;

  @Test
  void outputsStayCloseToFp32AndDoNotDependOnTheBatch() throws Exception {
    VaeWeights w = TestModels.randomWeights(11, D, K, 32, 16);
    int n = 500;
    float[] x = TestModels.gaussianRows(12, n, D);
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = java.util.Arrays.copyOfRange(x, i * D, (i + 1) * D);
    }
    ActivationRanges ranges = ActivationRanges.measure(w, rows, 0);
    ModelCard card =
        TestModels.card(
            Precision.INT8_STATIC, TestModels.features(D), 1, K, TestModels.identityScaler(D), 0);
    Path dir = tmp.resolve("int8-static");
    VaeOnnxExporter.writeModelDir(w, Precision.INT8_STATIC, ranges, card, dir);

    try (VaeScorer s = VaeScorer.open(dir, Precision.INT8_STATIC, ScorerOptions.defaults())) {
      Outputs all = s.forwardNormalised(x, n);
      double maxErr = 0;
      double maxRef = 0;
      for (int i = 0; i < n; i++) {
        double[] ref = w.forward(toDouble(rows[i]))[0];
        for (int j = 0; j < D; j++) {
          maxErr = Math.max(maxErr, Math.abs(all.recon()[i * D + j] - ref[j]));
          maxRef = Math.max(maxRef, Math.abs(ref[j]));
        }
      }
      // 8-bit activations and 7-bit weights through 4 layers: a few percent of the output range.
      assertThat(maxErr / maxRef).isLessThan(0.05).isGreaterThan(0);

      // Scales are fixed at export: one row alone gives what it gives inside the batch (with
      // dynamic
      // int8 a row's activation scale follows its batch, which moves outputs by up to percents).
      for (int i : new int[] {0, 17, 499}) {
        Outputs one = s.forwardNormalised(rows[i], 1);
        for (int j = 0; j < D; j++) {
          // (up to float rounding: kernels sum in a different order for one row)
          assertThat(one.recon()[j])
              .isCloseTo(all.recon()[i * D + j], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
    // ORT's QDQ optimizer turns every layer but the mu head (see LinearLayerWriter) into QGemm.
    List<String> ops = optimizedOps(dir.resolve("model.onnx"));
    assertThat(ops.stream().filter("QGemm"::equals).count()).isEqualTo(6);
    assertThat(ops.stream().filter("Gemm"::equals).count()).isEqualTo(1);
  }

  @Test
  void refusesToExportWithoutRanges() {
    VaeWeights w = TestModels.randomWeights(1, D, K, 16);
    assertThatThrownBy(() -> VaeOnnxExporter.export(w, Precision.INT8_STATIC, "m"))
        .hasMessageContaining("activation ranges");
  }

  @Test
  void rangesIncludeZeroAndMapToUint8() {
    ActivationRanges r =
        new ActivationRanges(
            java.util.Map.of("enc0", new float[] {-1f, 3f}, "mu", new float[] {2f, 5.1f}));
    ActivationRanges.Uint8Params a = r.uint8("enc0");
    assertThat(a.scale()).isEqualTo(4f / 255);
    assertThat(a.zeroPoint() & 0xff).isEqualTo(64); // round(1 / (4 / 255)) = round(63.75)
    ActivationRanges.Uint8Params b = r.uint8("mu");
    assertThat(b.zeroPoint()).isEqualTo((byte) 0);
    assertThat(b.scale()).isEqualTo(5.1f / 255, org.assertj.core.data.Offset.offset(1e-7f));
    assertThatThrownBy(() -> r.uint8("dec0"))
        .hasMessageContaining("no activation range for layer dec0");
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private List<String> optimizedOps(Path onnx) throws Exception {
    Path out = tmp.resolve("optimized.onnx");
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setOptimizedModelFilePath(out.toString());
      try (OrtSession ignored =
          OrtEnvironment.getEnvironment().createSession(onnx.toString(), so)) {
        // loading writes the optimized graph
      }
    }
    List<String> ops =
        ModelProto.parseFrom(Files.readAllBytes(out)).getGraph().getNodeList().stream()
            .map(NodeProto::getOpType)
            .toList();
    System.out.println("int8-static optimized ops: " + ops);
    return ops;
  }
}
