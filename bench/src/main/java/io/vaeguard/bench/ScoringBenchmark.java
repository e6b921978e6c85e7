package io.vaeguard.bench;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.SyntheticGenerator;
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
 * Scoring throughput of {@link VaeScorer#score}: one call scores {@code batch} raw rows, so it
 * counts the Java side (standardising into the input buffer, reading outputs, the score math:
 * errors, shares, KL, calibration) as well as {@code session.run}. Records per second is operations
 * per second times {@code batch}; {@link ScoringBenchmarkMain} reports it so.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class ScoringBenchmark {

  /** Model directory; set by the launcher to models/default of the checkout. */
  public static final String MODEL_PROPERTY = "vaeguard.bench.model";

  @Param({"1", "16", "64", "256", "1024", "4096"})
  public int batch;

  @Param({"fp32", "int8"})
  public String precision;

  @Param({"1", "2"})
  public int threads;

  private VaeScorer scorer;
  private float[] rows;

  @Setup(Level.Trial)
  public void open() {
    scorer =
        ScoringBenchmark.model(Precision.parse(precision))
            .open(ScorerOptions.builder().intraOpThreads(threads).build());
    rows = syntheticRows(scorer.card().features().size(), scorer.card().window(), batch);
  }

  /**
   * The benchmarked model: {@value #MODEL_PROPERTY}, else models/default of the working directory.
   */
  static ModelRef model(Precision precision) {
    return ModelRef.parse(
        System.getProperty(MODEL_PROPERTY, ModelRef.DEFAULT_DIRECTORY),
        precision,
        "-D" + MODEL_PROPERTY);
  }

  /** Realistic inputs: the generator's readings, laid out as the model's windows. */
  static float[] syntheticRows(int features, int window, int n) {
    SyntheticGenerator gen =
        new SyntheticGenerator(GeneratorConfig.builder().entities(1).seed(7).build());
    int d = features * window;
    float[] out = new float[n * d];
    double[][] history = new double[window][];
    for (int k = 0; k < window; k++) {
      history[k] = gen.next(0).values();
    }
    for (int i = 0; i < n; i++) {
      System.arraycopy(history, 1, history, 0, window - 1);
      history[window - 1] = gen.next(0).values();
      for (int k = 0; k < window; k++) {
        for (int j = 0; j < features; j++) {
          out[i * d + k * features + j] = (float) history[k][j];
        }
      }
    }
    return out;
  }

  @TearDown(Level.Trial)
  public void close() {
    scorer.close();
  }

  @Benchmark
  public void score(Blackhole bh) {
    ScoreBatch b = scorer.score(rows, batch);
    bh.consume(b.score(batch - 1));
  }
}
