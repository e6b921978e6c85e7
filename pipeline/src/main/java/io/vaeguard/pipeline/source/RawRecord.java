package io.vaeguard.pipeline.source;

import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One Kafka record as read, before decoding: the value bytes and where they came from. Decoding
 * happens in the next operator, so that a record that cannot be decoded becomes a dead letter (with
 * its topic, partition and offset) instead of failing the source.
 *
 * <p>Treat {@code value} as read-only: it is the consumer's array, not a copy.
 *
 * @param value the record's value, or null for a tombstone
 * @param topic the Kafka topic
 * @param partition the partition within the topic
 * @param offset the record's offset in that partition
 * @param timestamp the Kafka record timestamp, epoch millis (-1 when the record has none)
 */
@TypeInfo(RawRecord.TypeFactory.class)
public record RawRecord(byte[] value, String topic, int partition, long offset, long timestamp) {

  /** Flink's type information for this record (a POJO type: no Kryo). */
  public static final TypeInformation<RawRecord> TYPE =
      Types.POJO(
          RawRecord.class,
          Map.of(
              "value", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
              "topic", Types.STRING,
              "partition", Types.INT,
              "offset", Types.LONG,
              "timestamp", Types.LONG));

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord r
        && partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && Objects.equals(topic, r.topic)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, timestamp) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "RawRecord["
        + topic
        + "-"
        + partition
        + "@"
        + offset
        + ", timestamp="
        + timestamp
        + ", "
        + (value == null ? "null" : value.length + " bytes")
        + "]";
  }

  /** Lets Flink's type extraction find {@link #TYPE}. */
  public static final class TypeFactory extends TypeInfoFactory<RawRecord> {
    @Override
    public TypeInformation<RawRecord> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return TYPE;
    }
  }
}
