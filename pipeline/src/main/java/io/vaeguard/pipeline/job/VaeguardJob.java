package io.vaeguard.pipeline.job;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.pipeline.alerts.KeyedDetector;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.features.SlidingRowWindow;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.rows.ScoredRow;
import io.vaeguard.pipeline.scoring.MicroBatchScoringOperator;
import io.vaeguard.pipeline.scoring.MicroBatchScoringOperatorFactory;
import io.vaeguard.pipeline.serde.DecodeFunction;
import io.vaeguard.pipeline.source.RawRecord;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.DeadLetter;
import io.vaeguard.schema.Score;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * vaeguard's streaming job: raw Kafka records, decoded and checked (dead letters aside), turned
 * into the model's feature vectors (per-entity windows for window models), scored in micro-batches
 * by one ONNX Runtime session per subtask, and decided per entity by the model card's detector. The
 * job takes its source and sinks, so tests can wire their own; {@link KafkaConnectors} makes the
 * real ones.
 */
public final class VaeguardJob {

  /**
   * Where the job's three outputs go; {@code scores} may be null. The scores sink takes the scored
   * rows themselves and writes each as an Avro {@link Score} (e.g. with {@code
   * ScoredRowKafkaSerializer}): no conversion operator in the chain.
   */
  public record Sinks(Sink<Alert> alerts, Sink<ScoredRow> scores, Sink<DeadLetter> deadLetters) {
    public Sinks {
      Objects.requireNonNull(alerts, "alerts");
      Objects.requireNonNull(deadLetters, "deadLetters");
    }
  }

  private static final String[] NO_FEATURES = {};
  private static final double[] NO_SHARES = {};

  private VaeguardJob() {}

  /** The job's name on the cluster: {@code vaeguard: <model name> <version> <precision>}. */
  public static String jobName(ModelCard card) {
    return "vaeguard: " + card.name() + " " + card.version() + " " + card.precision();
  }

  /**
   * Adds the job to {@code env}: parallelism and checkpointing from {@code cfg}, operators named
   * and with stable uids so savepoints survive changes. The model card is read here, on the client
   * (once: {@link JobConfig#model()} keeps it), so a wrong model directory fails before anything is
   * submitted.
   */
  public static void build(
      StreamExecutionEnvironment env, JobConfig cfg, Source<RawRecord, ?, ?> source, Sinks sinks) {
    ModelRef model = cfg.model();
    ModelCard card = model.readCard();
    SingleOutputStreamOperator<FeatureRow> decoded = sourceAndDecode(env, cfg, card, source, sinks);

    // Every row of an entity goes to one subtask: the window (for window models) and the detector
    // keep per-entity state. This is the job's one shuffle; window and scoring are chained behind
    // it (the window emits only rows of the keys it received, so its output is still partitioned by
    // entity and is taken as keyed as it is).
    KeyedStream<FeatureRow, String> byEntity = byEntity(decoded, cfg.parallelism());
    KeyedStream<FeatureRow, String> features = byEntity;
    SingleOutputStreamOperator<FeatureRow> windowed = null;
    if (card.window() > 1) {
      windowed =
          byEntity
              .process(
                  new SlidingRowWindow(
                      card.window(),
                      card.features().size(),
                      cfg.windowTtl(),
                      card.name(),
                      card.version()))
              .name("window of " + card.window())
              .uid("window");
      features =
          DataStreamUtils.reinterpretAsKeyedStream(windowed, FeatureRow::entityId, Types.STRING);
    }

    // The scoring operator decides every row with the card's detector too (its state in keyed
    // state): one operator, no copy of each row between scoring and deciding.
    MicroBatchScoringOperatorFactory scoring =
        MicroBatchScoringOperator.builder()
            .model(model)
            .scorerOptions(
                ScorerOptions.builder().intraOpThreads(cfg.threads()).device(cfg.device()).build())
            .maxBatchSize(cfg.batchSize())
            .maxWait(cfg.maxWait())
            .detector(Detector.of(card, cfg.cooldown(), cfg.threshold()), stateTtl(cfg))
            .build();
    SingleOutputStreamOperator<ScoredRow> decided =
        MicroBatchScoringOperator.attach(
            features,
            scoring,
            "score and detect: " + card.name() + " " + card.version() + " " + card.precision(),
            "score");

    if (sinks.scores() != null) {
      DataStream<ScoredRow> scores = decided;
      if (windowed != null) {
        scores = decided.union(windowed.getSideOutput(SlidingRowWindow.WARMING_UP));
      }
      scores.sinkTo(sinks.scores()).name("scores: " + cfg.scoresTopic()).uid("score-sink");
    }
    decided
        .getSideOutput(KeyedDetector.ALERTS)
        .sinkTo(sinks.alerts())
        .name("alerts: " + cfg.alertsTopic())
        .uid("alert-sink");
  }

  /**
   * The decoded rows keyed by entity. With one subtask every key is already where it belongs, so
   * the stream is taken as keyed as it is and decode, window, scoring and detector run chained in
   * one thread; a keyBy would serialize every row across a network channel for nothing (about 10%
   * of the job's throughput, BENCHMARKS.md). The state is keyed state either way, in the same key
   * groups, so a savepoint taken at parallelism 1 restores at any other.
   */
  static KeyedStream<FeatureRow, String> byEntity(DataStream<FeatureRow> rows, int parallelism) {
    if (parallelism == 1) {
      return DataStreamUtils.reinterpretAsKeyedStream(rows, FeatureRow::entityId, Types.STRING);
    }
    return rows.keyBy(FeatureRow::entityId);
  }

  /**
   * An idle entity's detector state lives as long as its window would, and at least the cool-down.
   */
  private static java.time.Duration stateTtl(JobConfig cfg) {
    java.time.Duration ttl = cfg.windowTtl();
    if (ttl.isZero()) {
      return ttl;
    }
    return ttl.compareTo(cfg.cooldown()) < 0 ? cfg.cooldown() : ttl;
  }

  /**
   * The benchmarks' baseline, not a job to deploy: the same source, decode and dead-letter sink as
   * {@link #build}, then every decoded row straight to the scores sink (as a {@link Score}) with
   * the row's entity and event time and zero scores. No model runs, no detector; the difference in
   * throughput against {@link #build} with a scores sink is the cost of scoring.
   *
   * @throws IllegalArgumentException when {@code sinks} has no scores sink
   */
  public static void buildPassThrough(
      StreamExecutionEnvironment env, JobConfig cfg, Source<RawRecord, ?, ?> source, Sinks sinks) {
    if (sinks.scores() == null) {
      throw new IllegalArgumentException(
          "the pass-through job writes to the scores sink; set scores.topic");
    }
    ModelCard card = cfg.model().readCard(); // the model's features, for decode
    String modelName = card.name();
    String modelVersion = card.version();
    sourceAndDecode(env, cfg, card, source, sinks)
        .map(row -> passThroughRow(row, modelName, modelVersion), ScoredRow.TYPE)
        .name("to scored row (pass-through, no model)")
        .uid("pass-through-to-score")
        .sinkTo(sinks.scores())
        .name("scores: " + cfg.scoresTopic())
        .uid("score-sink");
  }

  /** A row that carries the input's identity and no scores (the pass-through job's output). */
  static ScoredRow passThroughRow(FeatureRow row, String modelName, String modelVersion) {
    long t = row.eventTime();
    return new ScoredRow(
        row.entityId(),
        t,
        0,
        0,
        0,
        0,
        0,
        0,
        false,
        false,
        NO_FEATURES,
        NO_SHARES,
        null,
        modelName,
        modelVersion,
        t,
        t);
  }

  /**
   * Parallelism, checkpointing, the source, decode and the dead-letter sink: shared by both job
   * shapes.
   */
  private static SingleOutputStreamOperator<FeatureRow> sourceAndDecode(
      StreamExecutionEnvironment env,
      JobConfig cfg,
      ModelCard card,
      Source<RawRecord, ?, ?> source,
      Sinks sinks) {
    env.setParallelism(cfg.parallelism());
    // Without object reuse Flink deep-copies every record between chained operators (FeatureRow
    // with its labels map, Score through Avro's deepCopy): 14% of the task thread's samples in
    // BENCHMARKS.md's profile. Safe here: every operator emits a new object per record and none
    // keeps or changes an input after passing it on (the scorer copies values into its batch and
    // the labels map when reuse is on; the detector keeps only its state object per key).
    env.getConfig().enableObjectReuse();
    if (!cfg.checkpointInterval().isZero()) {
      env.enableCheckpointing(cfg.checkpointInterval().toMillis());
    }
    DataStream<RawRecord> raw =
        env.fromSource(
                source, WatermarkStrategy.noWatermarks(), "observations: " + cfg.inputTopic())
            .uid("source");
    SingleOutputStreamOperator<FeatureRow> decoded =
        raw.process(new DecodeFunction(card)).name("decode and check").uid("decode");
    decoded
        .getSideOutput(DecodeFunction.DEAD_LETTERS)
        .sinkTo(sinks.deadLetters())
        .name("dead letters: " + cfg.deadLetterTopic())
        .uid("dead-letter-sink");
    return decoded;
  }
}
