package io.vaeguard.pipeline.sink;

import io.vaeguard.pipeline.scoring.ScoredRow;
import io.vaeguard.schema.Score;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes every {@link ScoredRow} to the scores topic as an Avro {@link Score} keyed by entity, so
 * the optional scores sink needs no extra conversion operator.
 *
 * <pre>{@code
 * KafkaSink.<ScoredRow>builder().setRecordSerializer(new ScoredRowKafkaSerializer("vaeguard-scores"))...
 * }</pre>
 */
public final class ScoredRowKafkaSerializer implements KafkaRecordSerializationSchema<ScoredRow> {

  private static final long serialVersionUID = 1L;

  private final AvroKafkaRecordSerializer<Score> scores;

  public ScoredRowKafkaSerializer(String topic) {
    this.scores = AvroKafkaRecordSerializer.scores(topic);
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    scores.open(context, sinkContext);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(ScoredRow row, KafkaSinkContext context, Long timestamp) {
    return scores.serialize(row.toScore(), context, timestamp);
  }
}
