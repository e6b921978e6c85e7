package io.vaeguard.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.pipeline.alerts.KeyedDetector;
import io.vaeguard.pipeline.features.SlidingRowWindow;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.rows.ScoredRow;
import io.vaeguard.pipeline.scoring.MicroBatchScoringOperator;
import io.vaeguard.pipeline.serde.DecodeFunction;
import io.vaeguard.pipeline.source.RawRecord;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.DeadLetter;
import io.vaeguard.schema.Observation;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The operators wired as the job wires them, in a local environment with Kryo switched off: every
 * type on every edge has its own serializer, the factories and functions serialize into the job
 * graph, and records flow from raw bytes to alerts and dead letters. (The Kafka job itself and its
 * integration tests live elsewhere.)
 */
class OperatorWiringTest {

  private static final ModelRef MODEL =
      ModelRef.directory(Path.of("../models/default"), Precision.FP32);

  private static RawRecord observation(
      ModelCard card, String entity, long t, double z, long offset) {
    Map<String, Double> features = new HashMap<>();
    for (int j = 0; j < card.features().size(); j++) {
      double zz = z != 0 ? z : 0.5 * Math.sin(1.7 * t + j);
      features.put(card.features().get(j), card.scaler().mean()[j] + zz * card.scaler().std()[j]);
    }
    ByteBuffer buf;
    try {
      buf =
          Observation.newBuilder()
              .setEntityId(entity)
              .setEventTime(Instant.ofEpochMilli(t * 1_000))
              .setFeatures(features)
              .setLabels(z != 0 ? Map.of("anomaly", "1") : null)
              .build()
              .toByteBuffer();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    byte[] b = new byte[buf.remaining()];
    buf.get(b);
    return new RawRecord(b, "obs", 0, offset, t * 1_000);
  }

  @Test
  void rawRecordsBecomeAlertsAndDeadLetters() throws Exception {
    ModelCard card = MODEL.readCard();
    List<RawRecord> input = new ArrayList<>();
    long offset = 0;
    for (long t = 0; t < 10; t++) {
      for (String entity : List.of("a", "b")) {
        input.add(observation(card, entity, t, t == 5 ? 6.0 : 0, offset++));
      }
    }
    input.add(new RawRecord("garbage".getBytes(), "obs", 0, offset, 0));

    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);

    SingleOutputStreamOperator<FeatureRow> rows =
        env.fromData(input, RawRecord.TYPE)
            .process(new DecodeFunction(card))
            .name("decode")
            .uid("decode");
    DataStream<DeadLetter> dead = rows.getSideOutput(DecodeFunction.DEAD_LETTERS);
    SingleOutputStreamOperator<FeatureRow> windows =
        rows.keyBy(FeatureRow::entityId)
            .process(
                new SlidingRowWindow(card.window(), card.features().size(), Duration.ofMinutes(10)))
            .name("window")
            .uid("window");
    SingleOutputStreamOperator<ScoredRow> scored =
        MicroBatchScoringOperator.attach(
            DataStreamUtils.reinterpretAsKeyedStream(windows, FeatureRow::entityId, Types.STRING),
            MicroBatchScoringOperator.builder()
                .model(MODEL)
                .maxBatchSize(4)
                .maxWait(Duration.ofMillis(5))
                .detector(
                    Detector.of(card, Duration.ofSeconds(60), Double.NaN), Duration.ofMinutes(10))
                .build(),
            "score",
            "score");
    DataStream<Alert> alerts = scored.getSideOutput(KeyedDetector.ALERTS);

    List<String> out =
        alerts
            .map(
                a ->
                    "alert "
                        + a.getEntityId()
                        + "@"
                        + a.getEventTime().toEpochMilli()
                        + " "
                        + a.getEvent()
                        + " top="
                        + a.getTopFeatures().size())
            .returns(Types.STRING)
            .union(
                dead.map(d -> "dead " + d.getOffset() + " " + d.getReason()).returns(Types.STRING))
            .executeAndCollect(100);

    assertThat(out).contains("alert a@5000 open top=3", "alert b@5000 open top=3");
    assertThat(out).anySatisfy(s -> assertThat(s).startsWith("dead 20 undecodable"));
  }
}
