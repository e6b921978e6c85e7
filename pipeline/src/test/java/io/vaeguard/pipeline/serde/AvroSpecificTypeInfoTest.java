package io.vaeguard.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.FlinkTypes;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.DeadLetter;
import io.vaeguard.schema.FeatureShare;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class AvroSpecificTypeInfoTest {

  static Alert alert() {
    return Alert.newBuilder()
        .setEntityId("pump-1")
        .setEventTime(Instant.ofEpochMilli(1_000))
        .setDetectionTime(Instant.ofEpochMilli(2_000))
        .setModelName("m")
        .setModelVersion("2")
        .setScore(0.97)
        .setSeverity(97)
        .setReconstructionError(3.5)
        .setKl(0.25)
        .setThreshold(0.9)
        .setTopFeatures(List.of(new FeatureShare("flow", 0.7), new FeatureShare("rpm", 0.2)))
        .build();
  }

  @Test
  void roundTripsAvroRecordsBetweenOperators() throws Exception {
    assertThat(FlinkTypes.roundTrip(AvroSpecificTypeInfo.forClass(Alert.class), alert())).isEqualTo(alert());
    DeadLetter dead = DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setTopic("t").setPartition(1).setOffset(7).setReason("missing feature: flow")
        .setFailedTime(Instant.ofEpochMilli(5))
        .build();
    assertThat(FlinkTypes.roundTrip(AvroSpecificTypeInfo.forClass(DeadLetter.class), dead)).isEqualTo(dead);
  }

  @Test
  void copiesRawBytesAndManyRecordsInARow() throws Exception {
    TypeSerializer<Alert> s = FlinkTypes.serializer(AvroSpecificTypeInfo.forClass(Alert.class));
    DataOutputSerializer out = new DataOutputSerializer(16);
    for (int i = 0; i < 3; i++) {
      s.serialize(alert(), out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    DataOutputSerializer copy = new DataOutputSerializer(16);
    for (int i = 0; i < 3; i++) {
      s.copy(in, copy);
    }
    DataInputDeserializer again = new DataInputDeserializer(copy.getCopyOfBuffer());
    for (int i = 0; i < 3; i++) {
      assertThat(s.deserialize(again)).isEqualTo(alert());
    }
  }

  @Test
  void snapshotsKeepTheSchemaForRestores() throws Exception {
    TypeSerializer<Alert> s = FlinkTypes.serializer(AvroSpecificTypeInfo.forClass(Alert.class));
    TypeSerializerSnapshot<Alert> snap = s.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(256);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
    TypeSerializerSnapshot<Alert> read = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(s.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    assertThat(read.restoreSerializer()).isEqualTo(s);

    // an older writer schema without the field 'kl' (which has no default): incompatible, and said so
    Schema older = SchemaBuilder.record("Alert").namespace("io.vaeguard.schema").fields()
        .requiredString("entityId").endRecord();
    var oldSnap = new AvroSpecificSerializer.Snapshot<>(Alert.class, older.toString());
    assertThat(s.snapshotConfiguration().resolveSchemaCompatibility(oldSnap).isIncompatible()).isTrue();
  }
}
