package io.vaeguard.pipeline.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Writes Avro generated records in Avro single-object encoding (marker {@code C3 01}, the schema's
 * 8-byte fingerprint, then Avro binary), the wire format of every vaeguard topic; readers decode
 * with {@code X.getDecoder()} / {@code X.fromByteBuffer(...)}. The encoder and its buffer are
 * created in {@link #open} and reused for every record. (The scores sink, one record per input,
 * writes through {@link ScoreEncoder} instead: see {@link ScoredRowKafkaSerializer}.)
 *
 * <p>Not flink-avro's {@code AvroSerializationSchema}, which writes plain Avro binary without the
 * marker and the fingerprint.
 */
public final class SingleObjectAvroSerializationSchema<T extends SpecificRecord>
    implements SerializationSchema<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  private transient BinaryMessageEncoder<T> encoder;
  private transient ByteArrayOutputStream buffer;

  public SingleObjectAvroSerializationSchema(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T extends SpecificRecord> SingleObjectAvroSerializationSchema<T> forClass(
      Class<T> type) {
    return new SingleObjectAvroSerializationSchema<>(type);
  }

  @Override
  public void open(InitializationContext context) {
    init();
  }

  private void init() {
    SpecificData data =
        SpecificData.getForClass(type); // the class's MODEL$, with its logical-type conversions
    Schema schema = data.getSchema(type);
    encoder = new BinaryMessageEncoder<>(data, schema);
    buffer = new ByteArrayOutputStream(256);
  }

  @Override
  public byte[] serialize(T record) {
    if (encoder == null) {
      init(); // used outside Flink (tests, tools) without open()
    }
    buffer.reset();
    try {
      encoder.encode(record, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    return buffer.toByteArray();
  }

  public Class<T> type() {
    return type;
  }
}
