package io.vaeguard.bench;

import io.vaeguard.model.Precision;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.Reading;
import io.vaeguard.model.synth.SyntheticGenerator;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.serde.FeatureVectorizer;
import io.vaeguard.pipeline.serde.ObservationRowDecoder;
import io.vaeguard.schema.Observation;
import java.nio.ByteBuffer;
import java.time.Instant;
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
 * Scoring from records, the Java side the pipeline adds before {@link VaeScorer#score}: {@code
 * fromObservations} starts from decoded Avro {@link Observation}s and writes each one's feature map
 * into the batch's float array in the model's order with the pipeline's own {@link
 * FeatureVectorizer}; {@code fromBytes} starts one step earlier, from the Kafka value (Avro
 * single-object encoding), with the job's own {@link ObservationRowDecoder} (bytes straight to a
 * FeatureRow, as DecodeFunction does), whose values are copied into the batch. One call handles
 * {@code batch} records: records -> float array -> tensor -> score math.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class ObservationScoringBenchmark {

  @Param({"1", "16", "64", "256", "1024", "4096"})
  public int batch;

  @Param({"fp32"})
  public String precision;

  @Param({"1"})
  public int threads;

  private VaeScorer scorer;
  private FeatureVectorizer vectorizer;
  private Observation[] observations;
  private byte[][] encoded;
  private ObservationRowDecoder decoder;
  private float[] rows;

  @Setup(Level.Trial)
  public void open() throws java.io.IOException {
    scorer =
        ScoringBenchmark.model(Precision.parse(precision))
            .open(ScorerOptions.builder().intraOpThreads(threads).build());
    if (scorer.card().window() != 1) {
      throw new IllegalArgumentException(
          "the record benchmark takes a snapshot model (window 1), got window "
              + scorer.card().window());
    }
    vectorizer = new FeatureVectorizer(scorer.card().features());
    SyntheticGenerator gen =
        new SyntheticGenerator(GeneratorConfig.builder().entities(16).seed(7).build());
    observations = new Observation[batch];
    encoded = new byte[batch][];
    for (int i = 0; i < batch; i++) {
      Reading r = gen.next();
      observations[i] =
          Observation.newBuilder()
              .setEntityId(r.entityId())
              .setEventTime(Instant.ofEpochMilli(r.eventTimeMillis()))
              .setFeatures(r.features())
              .build();
      ByteBuffer b = observations[i].toByteBuffer();
      encoded[i] = new byte[b.remaining()];
      b.get(encoded[i]);
    }
    decoder = new ObservationRowDecoder(scorer.card().features());
    rows = new float[batch * vectorizer.size()];
  }

  @TearDown(Level.Trial)
  public void close() {
    scorer.close();
  }

  @Benchmark
  public void fromObservations(Blackhole bh) {
    int d = vectorizer.size();
    for (int i = 0; i < batch; i++) {
      String failure = vectorizer.vectorize(observations[i], rows, i * d);
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    }
    ScoreBatch b = scorer.score(rows, batch);
    bh.consume(b.score(batch - 1));
  }

  @Benchmark
  public void fromBytes(Blackhole bh) {
    int d = vectorizer.size();
    for (int i = 0; i < batch; i++) {
      FeatureRow row = decoder.decode(encoded[i]);
      if (row == null) {
        throw new IllegalStateException(decoder.failure());
      }
      System.arraycopy(row.values(), 0, rows, i * d, d); // as the scoring operator does
      bh.consume(row.entityId());
    }
    ScoreBatch b = scorer.score(rows, batch);
    bh.consume(b.score(batch - 1));
  }
}
