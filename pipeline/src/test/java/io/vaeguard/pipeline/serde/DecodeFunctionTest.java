package io.vaeguard.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.pipeline.FlinkTypes;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.source.RawRecord;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.DeadLetter;
import io.vaeguard.schema.Observation;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DecodeFunctionTest {

  private static final List<String> FEATURES = List.of("pressure", "flow", "current");

  private static OneInputStreamOperatorTestHarness<RawRecord, FeatureRow> harness(DecodeFunction fn)
      throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(fn), FlinkTypes.serializer(RawRecord.TYPE));
    h.setup(FlinkTypes.serializer(FeatureRow.TYPE));
    h.open();
    return h;
  }

  private static byte[] bytes(ByteBuffer buf) {
    byte[] b = new byte[buf.remaining()];
    buf.get(b);
    return b;
  }

  private static byte[] observation(Map<String, Double> features, Map<String, String> labels)
      throws Exception {
    return bytes(
        Observation.newBuilder()
            .setEntityId("pump-7")
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
            .setFeatures(features)
            .setLabels(labels)
            .build()
            .toByteBuffer());
  }

  private static RawRecord raw(byte[] value, long offset) {
    return new RawRecord(value, "observations", 2, offset, 99L);
  }

  private static List<DeadLetter> deadLetters(
      OneInputStreamOperatorTestHarness<RawRecord, FeatureRow> h) {
    var side = h.getSideOutput(DecodeFunction.DEAD_LETTERS);
    return side == null
        ? List.of()
        : side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  @Test
  void aGoodRecordBecomesAFeatureRowInTheCardsOrder() throws Exception {
    DecodeFunction fn = new DecodeFunction(FEATURES);
    try (var h = harness(fn)) {
      h.processElement(
          raw(
              observation(
                  Map.of("current", 3.0, "extra", 9.0, "flow", 2.0, "pressure", 1.0),
                  Map.of("anomaly", "1")),
              5),
          99L);
      List<FeatureRow> out = h.extractOutputValues();
      assertThat(out)
          .containsExactly(
              new FeatureRow(
                  "pump-7", 1_700_000_000_123L, new float[] {1f, 2f, 3f}, Map.of("anomaly", "1")));
      assertThat(h.extractOutputStreamRecords().get(0).getTimestamp()).isEqualTo(99L);
      assertThat(deadLetters(h)).isEmpty();
      assertThat(fn.recordsInCounter().getCount()).isEqualTo(1);
      assertThat(fn.deadLetteredCounter().getCount()).isZero();
    }
  }

  @Test
  void unusableRecordsAreDeadLetteredWithReasonPlaceAndBytes() throws Exception {
    byte[] garbage = "not avro at all".getBytes();
    byte[] alert =
        bytes(
            Alert.newBuilder()
                .setEntityId("x")
                .setEventTime(Instant.EPOCH)
                .setDetectionTime(Instant.EPOCH)
                .setModelName("m")
                .setModelVersion("1")
                .setScore(0.9)
                .setSeverity(90)
                .setReconstructionError(1)
                .setKl(1)
                .setThreshold(0.5)
                .setTopFeatures(List.of())
                .build()
                .toByteBuffer());
    Map<String, Double> withNaN = new HashMap<>(Map.of("pressure", 1.0, "flow", 2.0));
    withNaN.put("current", Double.NaN);
    byte[] nan = observation(withNaN, null);
    byte[] missing = observation(Map.of("pressure", 1.0, "current", 3.0), null);
    byte[] good = observation(Map.of("pressure", 1.0, "flow", 2.0, "current", 3.0), null);

    DecodeFunction fn = new DecodeFunction(FEATURES);
    try (var h = harness(fn)) {
      h.setProcessingTime(4242);
      h.processElement(raw(garbage, 10), 1);
      h.processElement(raw(alert, 11), 1);
      h.processElement(raw(nan, 12), 1);
      h.processElement(raw(missing, 13), 1);
      h.processElement(raw(null, 14), 1); // a tombstone
      h.processElement(raw(good, 15), 1);

      assertThat(h.extractOutputValues()).hasSize(1);
      List<DeadLetter> dead = deadLetters(h);
      assertThat(dead).extracting(DeadLetter::getOffset).containsExactly(10L, 11L, 12L, 13L, 14L);
      assertThat(dead.get(0).getReason())
          .startsWith("undecodable: not Avro single-object encoding");
      assertThat(dead.get(1).getReason()).startsWith("unknown schema");
      assertThat(dead.get(2).getReason()).isEqualTo("non-finite feature: current=NaN");
      assertThat(dead.get(3).getReason()).isEqualTo("missing feature: flow");
      assertThat(dead.get(4).getReason()).isEqualTo("undecodable: empty record value");
      assertThat(dead)
          .allSatisfy(
              d -> {
                assertThat(d.getTopic()).isEqualTo("observations");
                assertThat(d.getPartition()).isEqualTo(2);
                assertThat(d.getFailedTime()).isEqualTo(Instant.ofEpochMilli(4242));
              });
      assertThat(bytes(dead.get(0).getPayload())).isEqualTo(garbage);
      assertThat(bytes(dead.get(1).getPayload())).isEqualTo(alert);
      assertThat(bytes(dead.get(2).getPayload())).isEqualTo(nan);
      assertThat(bytes(dead.get(3).getPayload())).isEqualTo(missing);
      assertThat(dead.get(4).getPayload().remaining()).isZero();
      assertThat(fn.recordsInCounter().getCount()).isEqualTo(6);
      assertThat(fn.deadLetteredCounter().getCount()).isEqualTo(5);
    }
  }

  @Test
  void valuesBeyondTheModelsFloatRangeAreDeadLettered() throws Exception {
    ModelCard card = ModelRef.directory(Path.of("../models/default"), Precision.FP32).readCard();
    Map<String, Double> features = new HashMap<>();
    for (int j = 0; j < card.features().size(); j++) {
      features.put(card.features().get(j), card.scaler().mean()[j]);
    }
    int k = 0; // the feature with the smallest std, so 3e38 standardises beyond the float range
    for (int j = 1; j < card.features().size(); j++) {
      k = card.scaler().std()[j] < card.scaler().std()[k] ? j : k;
    }
    String last = card.features().get(k);
    DecodeFunction fn = new DecodeFunction(card);
    try (var h = harness(fn)) {
      h.processElement(raw(observation(features, null), 1), 1);
      features.put(last, 3e38); // a float, but (v - mean) / std is not
      h.processElement(raw(observation(features, null), 2), 1);
      features.put(last, 1e300); // not even a float
      h.processElement(raw(observation(features, null), 3), 1);
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(deadLetters(h))
          .extracting(DeadLetter::getReason)
          .containsExactly(
              "feature out of the model's range: "
                  + last
                  + "=3.0E38 (standardises beyond the float range with mean "
                  + card.scaler().mean()[k]
                  + ", std "
                  + card.scaler().std()[k]
                  + ")",
              "feature out of float range: " + last + "=1.0E300");
    }
  }

  @Test
  void needsFeatureNames() {
    assertThatThrownBy(() -> new DecodeFunction(List.of())).hasMessageContaining("feature names");
  }
}
