package io.vaeguard.pipeline.sink;

import io.vaeguard.schema.Alert;
import io.vaeguard.schema.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka records for a vaeguard output topic: the value in Avro single-object encoding ({@link
 * SingleObjectAvroSerializationSchema}), an optional UTF-8 key (the entity id for alerts and
 * scores, so one entity's records stay in order in one partition), and the Flink record's timestamp
 * as the Kafka timestamp.
 *
 * <pre>{@code
 * KafkaSink.<Alert>builder()
 *     .setRecordSerializer(AvroKafkaRecordSerializer.alerts("vaeguard-alerts"))
 *     ...
 * }</pre>
 */
public final class AvroKafkaRecordSerializer<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T> {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private final SingleObjectAvroSerializationSchema<T> value;
  private final SerializableFunction<T, String> key;

  /**
   * @param topic the topic to write to
   * @param type the Avro class
   * @param key the record's key, or null for unkeyed records (spread by the producer's partitioner)
   */
  public AvroKafkaRecordSerializer(
      String topic, Class<T> type, SerializableFunction<T, String> key) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("a Kafka topic is required, got '" + topic + "'");
    }
    this.topic = topic;
    this.value = new SingleObjectAvroSerializationSchema<>(type);
    this.key = key;
  }

  /** Alerts, keyed by entity id. */
  public static AvroKafkaRecordSerializer<Alert> alerts(String topic) {
    return new AvroKafkaRecordSerializer<>(topic, Alert.class, Alert::getEntityId);
  }

  /** Dead letters, unkeyed. */
  public static AvroKafkaRecordSerializer<DeadLetter> deadLetters(String topic) {
    return new AvroKafkaRecordSerializer<>(topic, DeadLetter.class, null);
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    value.open(context);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T record, KafkaSinkContext context, Long timestamp) {
    Objects.requireNonNull(record, "record");
    byte[] k = null;
    if (key != null) {
      String s = key.apply(record);
      k = s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
    return new ProducerRecord<>(topic, null, timestamp, k, value.serialize(record));
  }

  public String topic() {
    return topic;
  }
}
