package io.vaeguard.pipeline.job;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.pipeline.alerts.AlertPolicy;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.features.FeatureRow;
import io.vaeguard.pipeline.features.WindowFunction;
import io.vaeguard.pipeline.scoring.MicroBatchScoringOperator;
import io.vaeguard.pipeline.scoring.MicroBatchScoringOperatorFactory;
import io.vaeguard.pipeline.scoring.ModelLocation;
import io.vaeguard.pipeline.scoring.ScoredRow;
import io.vaeguard.pipeline.serde.AvroSpecificTypeInfo;
import io.vaeguard.pipeline.serde.DecodeFunction;
import io.vaeguard.pipeline.source.RawRecord;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.DeadLetter;
import io.vaeguard.schema.Score;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * vaeguard's streaming job: raw Kafka records, decoded and checked (dead letters aside), turned into
 * the model's feature vectors (per-entity windows for window models), scored in micro-batches by one
 * ONNX Runtime session per subtask, and passed through the alert policy. The job takes its source
 * and sinks, so tests can wire their own; {@link KafkaConnectors} makes the real ones.
 */
public final class VaeguardJob {

  /** Where the job's three outputs go; {@code scores} may be null. */
  public record Sinks(Sink<Alert> alerts, Sink<Score> scores, Sink<DeadLetter> deadLetters) {
    public Sinks {
      Objects.requireNonNull(alerts, "alerts");
      Objects.requireNonNull(deadLetters, "deadLetters");
    }
  }

  private VaeguardJob() {}

  /** The model the settings name: a directory, or {@code classpath:DIR} for one packed in the jar. */
  public static ModelLocation model(JobConfig cfg) {
    String dir = cfg.modelDir();
    Precision asked = cfg.precision();
    if (dir.startsWith("classpath:")) {
      return ModelLocation.classpath(dir.substring("classpath:".length()), asked != null ? asked : Precision.FP32);
    }
    Path path = Path.of(dir).toAbsolutePath().normalize();
    if (asked == null) {
      // A directory that is one model (e.g. an optimize variant) serves its own precision.
      Path card = path.resolve(ModelCard.CARD_FILE);
      asked = Files.isRegularFile(card) ? Precision.parse(ModelCards.read(card).precision()) : Precision.FP32;
    }
    return ModelLocation.directory(path, asked);
  }

  /** The job's name on the cluster: {@code vaeguard: <model name> <version> <precision>}. */
  public static String jobName(ModelCard card) {
    return "vaeguard: " + card.name() + " " + card.version() + " " + card.precision();
  }

  /**
   * Adds the job to {@code env}: parallelism and checkpointing from {@code cfg}, operators named and
   * with stable uids so savepoints survive changes. The model card is read here, on the client, so
   * a wrong model directory fails before anything is submitted.
   */
  public static void build(StreamExecutionEnvironment env, JobConfig cfg, Source<RawRecord, ?, ?> source, Sinks sinks) {
    ModelLocation model = model(cfg);
    ModelCard card = model.readCard();
    env.setParallelism(cfg.parallelism());
    if (!cfg.checkpointInterval().isZero()) {
      env.enableCheckpointing(cfg.checkpointInterval().toMillis());
    }

    DataStream<RawRecord> raw = env
        .fromSource(source, WatermarkStrategy.noWatermarks(), "observations: " + cfg.inputTopic())
        .uid("source");
    SingleOutputStreamOperator<FeatureRow> decoded = raw
        .process(new DecodeFunction(card))
        .name("decode and check")
        .uid("decode");
    decoded.getSideOutput(DecodeFunction.DEAD_LETTERS)
        .sinkTo(sinks.deadLetters())
        .name("dead letters: " + cfg.deadLetterTopic())
        .uid("dead-letter-sink");

    DataStream<FeatureRow> features = decoded;
    if (card.window() > 1) {
      features = decoded
          .keyBy(FeatureRow::entityId)
          .process(new WindowFunction(card.window(), card.features().size(), cfg.windowTtl()))
          .name("window of " + card.window())
          .uid("window");
    }

    MicroBatchScoringOperatorFactory scoring = MicroBatchScoringOperator.builder()
        .model(model)
        .scorerOptions(ScorerOptions.builder().intraOpThreads(cfg.threads()).device(cfg.device()).build())
        .maxBatchSize(cfg.batchSize())
        .maxWait(cfg.maxWait())
        .build();
    SingleOutputStreamOperator<ScoredRow> scored = MicroBatchScoringOperator.attach(features, scoring,
        "score " + card.name() + " " + card.version() + " " + card.precision(), "score");

    if (sinks.scores() != null) {
      scored.map(ScoredRow::toScore, AvroSpecificTypeInfo.forClass(Score.class))
          .name("to Score")
          .uid("to-score")
          .sinkTo(sinks.scores())
          .name("scores: " + cfg.scoresTopic())
          .uid("score-sink");
    }

    AlertPolicy.Builder policy = AlertPolicy.builder(card).coolDown(cfg.cooldown());
    if (!Double.isNaN(cfg.threshold())) {
      policy.threshold(cfg.threshold());
    }
    scored.keyBy(ScoredRow::entityId)
        .process(policy.build())
        .name("alert policy")
        .uid("alerts")
        .sinkTo(sinks.alerts())
        .name("alerts: " + cfg.alertsTopic())
        .uid("alert-sink");
  }
}
