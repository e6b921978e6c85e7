package io.vaeguard.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.vaeguard.bench.ceiling.LayerShapes;
import io.vaeguard.bench.ceiling.MatMulGraph;
import io.vaeguard.model.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ceiling for scoring: one {@code session.run} of {@link MatMulGraph}, the model's own layer
 * shapes as bare MatMuls on fixed input tensors, {@code rows} records a call. Records per second
 * here is what the GEMMs allow; the scorer cannot beat it, and the gap is everything else
 * (activations, bias, normalising, copying, the score math).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class MatMulCeilingBenchmark {

  @Param({"1024"})
  public int rows;

  @Param({"1", "2"})
  public int threads;

  private OrtSession session;
  private OrtSession.SessionOptions options;
  private Map<String, OnnxTensor> inputs;

  @Setup(Level.Trial)
  public void open() throws OrtException {
    List<LayerShapes.Layer> layers = LayerShapes.read(fp32Onnx());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    session = env.createSession(MatMulGraph.build(layers, 7), options);
    inputs = new HashMap<>();
    Random rnd = new Random(11);
    for (int k = 0; k < layers.size(); k++) {
      int n = rows * layers.get(k).in();
      FloatBuffer b =
          ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
      for (int i = 0; i < n; i++) {
        b.put(i, (float) rnd.nextGaussian());
      }
      inputs.put(
          MatMulGraph.input(k),
          OnnxTensor.createTensor(env, b, new long[] {rows, layers.get(k).in()}));
    }
  }

  /** The fp32 model of the benchmarked model directory. */
  public static Path fp32Onnx() {
    return ScoringBenchmark.model(Precision.FP32).resolve().onnxFile();
  }

  @TearDown(Level.Trial)
  public void close() throws OrtException {
    for (OnnxTensor t : inputs.values()) {
      t.close();
    }
    session.close();
    options.close();
  }

  @Benchmark
  public void matmuls(Blackhole bh) throws OrtException {
    try (OrtSession.Result r = session.run(inputs)) {
      bh.consume(r.size());
    }
  }
}
