package io.vaeguard.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.schema.Alert;
import io.vaeguard.schema.FeatureShare;
import io.vaeguard.schema.Observation;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class ObservationDecoderTest {

  private static Observation sample() {
    return Observation.newBuilder()
        .setEntityId("pump-7")
        .setEventTime(java.time.Instant.ofEpochMilli(1_700_000_000_123L))
        .setFeatures(Map.of("pressure", 1.5, "flow", -2.25))
        .setLabels(Map.of("anomaly", "1"))
        .build();
  }

  private static byte[] bytes(ByteBuffer buf) {
    byte[] b = new byte[buf.remaining()];
    buf.get(b);
    return b;
  }

  @Test
  void roundTripsSingleObjectEncoding() throws Exception {
    Decoded<Observation> d = new ObservationDecoder().decode(bytes(sample().toByteBuffer()));
    assertThat(d.failure()).isNull();
    assertThat(d.value()).isEqualTo(sample());
    assertThat(d.value().getFeatures()).containsEntry("flow", -2.25);
  }

  @Test
  void garbageIsAFailureWithAReason() {
    Decoded<Observation> d = new ObservationDecoder().decode("hello, not avro".getBytes());
    assertThat(d.isOk()).isFalse();
    assertThat(d.failure()).startsWith("undecodable: not Avro single-object encoding");
  }

  @Test
  void emptyAndTruncatedRecordsFail() throws Exception {
    ObservationDecoder decoder = new ObservationDecoder();
    assertThat(decoder.decode(new byte[0]).failure()).isEqualTo("undecodable: empty record value");
    byte[] full = bytes(sample().toByteBuffer());
    Decoded<Observation> cut = decoder.decode(Arrays.copyOf(full, full.length - 6));
    assertThat(cut.failure()).startsWith("undecodable: ");
    // The decoder still works after a failure.
    assertThat(decoder.decode(full).value()).isEqualTo(sample());
  }

  @Test
  void aRecordOfAnotherSchemaIsRefusedByFingerprint() throws Exception {
    Alert alert =
        Alert.newBuilder()
            .setEntityId("pump-7")
            .setEventTime(java.time.Instant.ofEpochMilli(1))
            .setDetectionTime(java.time.Instant.ofEpochMilli(2))
            .setModelName("m")
            .setModelVersion("1")
            .setScore(0.99)
            .setSeverity(99)
            .setReconstructionError(3)
            .setKl(1)
            .setThreshold(0.9)
            .setTopFeatures(List.of(new FeatureShare("pressure", 1.0)))
            .build();
    Decoded<Observation> d = new ObservationDecoder().decode(bytes(alert.toByteBuffer()));
    assertThat(d.failure()).startsWith("unknown schema: ");
  }

  @Test
  void anOlderWriterSchemaResolvesOnceRegistered() throws Exception {
    // Version 0 of Observation had no labels field; the current reader fills in its default.
    Schema v0 =
        new Schema.Parser()
            .parse(
                """
        {"type":"record","name":"Observation","namespace":"io.vaeguard.schema","fields":[
          {"name":"entityId","type":"string"},
          {"name":"eventTime","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"features","type":{"type":"map","values":"double"}}]}""");
    GenericRecord old = new GenericData.Record(v0);
    old.put("entityId", "e1");
    old.put("eventTime", 42L);
    old.put("features", Map.of("x", 3.0));
    byte[] encoded =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old).array();

    assertThat(new ObservationDecoder().decode(encoded).failure()).startsWith("unknown schema");
    Decoded<Observation> d = new ObservationDecoder().withWriterSchema(v0).decode(encoded);
    assertThat(d.failure()).isNull();
    assertThat(d.value().getEntityId()).isEqualTo("e1");
    assertThat(d.value().getLabels()).isNull();
    assertThat(d.value().getFeatures()).containsEntry("x", 3.0);
  }
}
