package io.vaeguard.pipeline.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * Flink serializer for an Avro generated class: an int length, then the record in Avro binary
 * with the class's schema. The snapshot keeps that schema, so a restore after the schema has
 * changed reads old bytes with the old schema (Avro schema resolution) when the two are
 * compatible, and is refused with the reason when they are not.
 *
 * <p>Not thread-safe (encoder, decoder and buffers are reused): Flink calls {@link #duplicate()}
 * per thread.
 */
final class AvroSpecificSerializer<T extends SpecificRecord> extends TypeSerializer<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  /** The schema the bytes were written with, when it is not the class's own (restored state); else null. */
  private final String writerSchemaJson;

  private transient SpecificData data;
  private transient Schema schema;
  private transient SpecificDatumWriter<T> writer;
  private transient SpecificDatumReader<T> reader;
  private transient Buffer buffer;
  private transient BinaryEncoder encoder;
  private transient BinaryDecoder decoder;
  private transient byte[] readBuffer;

  AvroSpecificSerializer(Class<T> type, String writerSchemaJson) {
    this.type = Objects.requireNonNull(type, "type");
    this.writerSchemaJson = writerSchemaJson;
  }

  static Schema schemaOf(Class<?> type) {
    return SpecificData.getForClass(type).getSchema(type);
  }

  private void init() {
    if (schema != null) {
      return;
    }
    data = SpecificData.getForClass(type); // the class's own MODEL$, with its logical-type conversions
    schema = schemaOf(type);
    Schema writerSchema = writerSchemaJson == null ? schema : new Schema.Parser().parse(writerSchemaJson);
    writer = new SpecificDatumWriter<>(schema, data);
    reader = new SpecificDatumReader<>(writerSchema, schema, data);
    buffer = new Buffer(256);
    readBuffer = new byte[256];
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return new AvroSpecificSerializer<>(type, writerSchemaJson);
  }

  @Override
  public T createInstance() {
    return InstantiationUtil.instantiate(type);
  }

  @Override
  public T copy(T from) {
    init();
    return from == null ? null : data.deepCopy(schema, from);
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    init();
    buffer.reset();
    encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
    writer.write(record, encoder);
    encoder.flush();
    target.writeInt(buffer.size());
    target.write(buffer.array(), 0, buffer.size());
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    return deserialize(null, source);
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    init();
    int len = source.readInt();
    if (readBuffer.length < len) {
      readBuffer = new byte[Math.max(len, 2 * readBuffer.length)];
    }
    source.readFully(readBuffer, 0, len);
    decoder = DecoderFactory.get().binaryDecoder(readBuffer, 0, len, decoder);
    return reader.read(null, decoder);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    init();
    int len = source.readInt();
    if (readBuffer.length < len) {
      readBuffer = new byte[Math.max(len, 2 * readBuffer.length)];
    }
    source.readFully(readBuffer, 0, len);
    target.writeInt(len);
    target.write(readBuffer, 0, len);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvroSpecificSerializer<?> other
        && type.equals(other.type)
        && Objects.equals(writerSchemaJson, other.writerSchemaJson);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    init();
    return new Snapshot<>(type, writerSchemaJson == null ? schema.toString() : writerSchemaJson);
  }

  /** A byte array stream that lends out its array, so nothing is copied per record. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }

  /** The record class and the schema its bytes were written with. */
  public static final class Snapshot<T extends SpecificRecord> implements TypeSerializerSnapshot<T> {

    private static final int VERSION = 1;

    private Class<T> type;
    private String schemaJson;

    /** For Flink's reflective instantiation on restore. */
    public Snapshot() {}

    Snapshot(Class<T> type, String schemaJson) {
      this.type = type;
      this.schemaJson = schemaJson;
    }

    @Override
    public int getCurrentVersion() {
      return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(type.getName());
      byte[] json = schemaJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(json.length);
      out.write(json);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader loader) throws IOException {
      if (readVersion != VERSION) {
        throw new IOException("unknown snapshot version " + readVersion + " of " + getClass().getName());
      }
      String className = in.readUTF();
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      try {
        type = (Class<T>) Class.forName(className, false, loader);
      } catch (ClassNotFoundException e) {
        throw new IOException("Avro record class " + className + " of a restored serializer is not on the classpath", e);
      }
      schemaJson = new String(json, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      // the class's own schema needs no resolution: the same serializer as a fresh one
      return new AvroSpecificSerializer<>(type, schemaJson.equals(schemaOf(type).toString()) ? null : schemaJson);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
      if (!(old instanceof Snapshot<T> previous) || !previous.type.equals(type)) {
        return TypeSerializerSchemaCompatibility.incompatible();
      }
      if (previous.schemaJson.equals(schemaJson)) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
      }
      Schema reader = new Schema.Parser().parse(schemaJson);
      Schema writer = new Schema.Parser().parse(previous.schemaJson);
      return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
              == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
          ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
