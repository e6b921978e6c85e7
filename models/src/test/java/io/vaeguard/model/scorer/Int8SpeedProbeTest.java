package io.vaeguard.model.scorer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.vaeguard.model.Precision;
import io.vaeguard.model.TestModels;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.export.VaeOnnxExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A speed probe, not a test: prints microseconds per {@code score()} call for each precision and
 * the operators ORT runs after optimization. Off by default; run with
 * {@code mvn -B -q -o -pl models test -Dtest=Int8SpeedProbeTest -Dvaeguard.speed=true}.
 */
@EnabledIfSystemProperty(named = "vaeguard.speed", matches = "true")
class Int8SpeedProbeTest {

  /** The precisions the exporter writes without calibration rows. */
  private static final Precision[] PRECISIONS = {Precision.FP32, Precision.INT8, Precision.FP16W};

  @TempDir Path tmp;

  @Test
  void probe() throws Exception {
    run(8, 8, new int[] {64, 32});
    run(80, 8, new int[] {128, 64});
  }

  private void run(int d, int k, int[] hidden) throws Exception {
    VaeWeights w = TestModels.randomWeights(1, d, k, hidden);
    ModelCard card = TestModels.card(Precision.FP32, TestModels.features(d), 1, k, TestModels.identityScaler(d), 1);
    Map<Precision, VaeScorer> scorers = new EnumMap<>(Precision.class);
    for (Precision p : PRECISIONS) {
      Path dir = TestModels.writeModel(tmp.resolve(d + p.id()), w, p, card);
      scorers.put(p, VaeScorer.open(dir, p, ScorerOptions.defaults()));
      System.out.println(d + " " + p + " optimized ops: " + optimizedOps(dir.resolve("model.onnx")));
    }
    for (int batch : new int[] {1, 1024}) {
      float[] x = TestModels.gaussianRows(2, batch, d);
      int calls = batch == 1 ? 20000 : 400;
      Map<Precision, double[]> rounds = new EnumMap<>(Precision.class);
      for (int round = 0; round < 7; round++) { // interleaved, so load from others hits all alike
        for (Precision p : PRECISIONS) {
          VaeScorer s = scorers.get(p);
          for (int i = 0; i < calls / 4; i++) {
            s.score(x, batch);
          }
          long t0 = System.nanoTime();
          for (int i = 0; i < calls; i++) {
            s.score(x, batch);
          }
          double us = (System.nanoTime() - t0) / 1e3 / calls;
          rounds.computeIfAbsent(p, q -> new double[7])[round] = us;
        }
      }
      StringBuilder line = new StringBuilder(String.format("%d-%s-%d batch %4d median us/call:", d,
          Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining("-")), k, batch));
      for (Precision p : PRECISIONS) {
        double[] r = rounds.get(p).clone();
        Arrays.sort(r);
        line.append(String.format("  %s %.1f [%.1f..%.1f]", p, r[3], r[0], r[6]));
      }
      // the Java side alone (score arithmetic on ready outputs), to tell it apart from ORT's time
      ScoreBatch b = new ScoreBatch(card);
      float[] recon = new float[batch * d];
      float[] mu = new float[batch * k];
      for (int i = 0; i < calls / 4; i++) {
        b.compute(batch, x, recon, mu, mu);
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        b.compute(batch, x, recon, mu, mu);
      }
      line.append(String.format("  (score arithmetic alone %.1f)", (System.nanoTime() - t0) / 1e3 / calls));
      System.out.println(line);
    }
    scorers.values().forEach(VaeScorer::close);
  }

  private String optimizedOps(Path onnx) throws Exception {
    Path out = tmp.resolve("opt-" + System.nanoTime() + ".onnx");
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setOptimizedModelFilePath(out.toString());
      try (OrtSession ignored = OrtEnvironment.getEnvironment().createSession(onnx.toString(), so)) {
        // loading writes the optimized graph
      }
    }
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(out));
    return m.getGraph().getNodeList().stream().map(NodeProto::getOpType)
        .collect(Collectors.groupingBy(o -> o, java.util.TreeMap::new, Collectors.counting())).toString();
  }
}
