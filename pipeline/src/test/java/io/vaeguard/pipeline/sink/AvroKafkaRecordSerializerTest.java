package io.vaeguard.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.pipeline.rows.ScoredRow;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.DeadLetter;
import io.vaeguard.schema.FeatureShare;
import io.vaeguard.schema.Score;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class AvroKafkaRecordSerializerTest {

  private static Alert alert() {
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
        .setTopFeatures(List.of(new FeatureShare("flow", 0.7)))
        .build();
  }

  @Test
  void alertsAreSingleObjectEncodedAndKeyedByEntity() throws Exception {
    var ser = AvroKafkaRecordSerializer.alerts("alerts");
    ser.open(null, null);
    for (int i = 0; i < 2; i++) { // the reused encoder and buffer give the same bytes twice
      ProducerRecord<byte[], byte[]> rec = ser.serialize(alert(), null, 1_234L);
      assertThat(rec.topic()).isEqualTo("alerts");
      assertThat(rec.timestamp()).isEqualTo(1_234L);
      assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo("pump-1");
      assertThat(rec.value()[0]).isEqualTo((byte) 0xC3);
      assertThat(rec.value()[1]).isEqualTo((byte) 0x01);
      assertThat(Alert.fromByteBuffer(ByteBuffer.wrap(rec.value()))).isEqualTo(alert());
    }
  }

  @Test
  void deadLettersAreUnkeyedAndKeepTheirBytes() throws Exception {
    DeadLetter dead =
        DeadLetter.newBuilder()
            .setPayload(ByteBuffer.wrap(new byte[] {9, 8, 7}))
            .setTopic("obs")
            .setPartition(0)
            .setOffset(3)
            .setReason("undecodable: x")
            .setFailedTime(Instant.ofEpochMilli(5))
            .build();
    ProducerRecord<byte[], byte[]> rec =
        AvroKafkaRecordSerializer.deadLetters("dead").serialize(dead, null, null);
    assertThat(rec.key()).isNull();
    assertThat(rec.timestamp()).isNull();
    DeadLetter back = DeadLetter.fromByteBuffer(ByteBuffer.wrap(rec.value()));
    assertThat(back).isEqualTo(dead);
  }

  @Test
  void scoredRowsBecomeScores() throws Exception {
    ScoredRow row =
        new ScoredRow(
            "pump-2",
            1_000,
            0.42,
            0.3,
            1.5,
            0.2,
            1.0,
            42,
            false,
            false,
            new String[] {"flow"},
            new double[] {1.0},
            null,
            "m",
            "2",
            900,
            1_100);
    ProducerRecord<byte[], byte[]> rec =
        new ScoredRowKafkaSerializer("scores").serialize(row, null, 1_000L);
    assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo("pump-2");
    Score score = Score.fromByteBuffer(ByteBuffer.wrap(rec.value()));
    assertThat(score).isEqualTo(row.toScore());
    ByteBuffer avro = Score.getEncoder().encode(row.toScore()); // ScoreEncoder's bytes are Avro's
    assertThat(ByteBuffer.wrap(rec.value())).isEqualTo(avro);
    assertThat(score.getScoredTime()).isEqualTo(Instant.ofEpochMilli(1_100));
    assertThat(score.getScore()).isEqualTo(0.42);
    assertThat(score.getAlert()).isFalse();
  }

  @Test
  void needsATopic() {
    assertThatThrownBy(() -> AvroKafkaRecordSerializer.alerts(" ")).hasMessageContaining("topic");
  }
}
