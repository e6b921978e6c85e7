package io.vaeguard.pipeline.sink;

import io.vaeguard.pipeline.rows.ScoredRow;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes every {@link ScoredRow} to the scores topic as an Avro {@code Score} (single-object
 * encoding, through {@link ScoreEncoder}) keyed by entity, so the optional scores sink needs no
 * conversion operator and no Score object per record.
 *
 * <pre>{@code
 * KafkaSink.<ScoredRow>builder().setRecordSerializer(new ScoredRowKafkaSerializer("vaeguard-scores"))...
 * }</pre>
 */
public final class ScoredRowKafkaSerializer implements KafkaRecordSerializationSchema<ScoredRow> {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private transient ScoreEncoder encoder;

  public ScoredRowKafkaSerializer(String topic) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("a Kafka topic is required, got '" + topic + "'");
    }
    this.topic = topic;
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    encoder = new ScoreEncoder();
  }

  /**
   * Keyed by entity, so one entity's scores stay in order in one partition; the row's timestamp.
   */
  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      ScoredRow row, KafkaSinkContext context, Long timestamp) {
    if (encoder == null) {
      encoder = new ScoreEncoder(); // used outside Flink (tests, tools) without open()
    }
    byte[] key = row.entityId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, null, timestamp, key, encoder.encode(row));
  }
}
