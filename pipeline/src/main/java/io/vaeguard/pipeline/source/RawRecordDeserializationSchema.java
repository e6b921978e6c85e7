package io.vaeguard.pipeline.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Passes each Kafka record through as a {@link RawRecord}: value bytes plus topic, partition,
 * offset and timestamp. It never throws and never drops a record (a tombstone becomes a RawRecord
 * with a null value), so every record reaches the decode step, which dead-letters what it cannot
 * read.
 *
 * <pre>{@code
 * KafkaSource.<RawRecord>builder()
 *     .setDeserializer(new RawRecordDeserializationSchema())
 *     ...
 * }</pre>
 */
public final class RawRecordDeserializationSchema
    implements KafkaRecordDeserializationSchema<RawRecord> {

  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    out.collect(
        new RawRecord(
            record.value(),
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp()));
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return RawRecord.TYPE;
  }
}
