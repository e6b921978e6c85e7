package io.vaeguard.pipeline.sink;

import io.vaeguard.pipeline.rows.ScoredRow;
import io.vaeguard.pipeline.serde.SingleObjectHeader;
import io.vaeguard.schema.Score;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes a {@link Score} in Avro single-object encoding, byte for byte what {@code
 * Score.getEncoder()} writes. Score's timestamp-millis fields keep Avro from generating custom
 * coders for it, so Avro's own encoder takes its generic path (field lookups, conversions, boxing:
 * ~13% of the task thread); this writes the fields through the getters instead.
 *
 * <p>The class refuses to load if Score's schema no longer has the fields it writes. Not
 * thread-safe: one instance per sink (it reuses its buffer and encoder).
 */
public final class ScoreEncoder {

  /** The fields written, in order; checked against {@code Score.SCHEMA$} when the class loads. */
  private static final List<Field> WRITES =
      List.of(
          new Field("entityId", Schema.Type.STRING, null),
          new Field("eventTime", Schema.Type.LONG, "timestamp-millis"),
          new Field("scoredTime", Schema.Type.LONG, "timestamp-millis"),
          new Field("modelName", Schema.Type.STRING, null),
          new Field("modelVersion", Schema.Type.STRING, null),
          new Field("reconstructionError", Schema.Type.DOUBLE, null),
          new Field("kl", Schema.Type.DOUBLE, null),
          new Field("rawScore", Schema.Type.DOUBLE, null),
          new Field("score", Schema.Type.DOUBLE, null),
          new Field("alert", Schema.Type.BOOLEAN, null),
          new Field("statistic", Schema.Type.DOUBLE, null),
          new Field("severity", Schema.Type.INT, null),
          new Field("warmingUp", Schema.Type.BOOLEAN, null));

  private static final byte[] HEADER = SingleObjectHeader.of(checkSchema(Score.SCHEMA$));

  private final Buffer buffer = new Buffer();
  private BinaryEncoder encoder;

  /** The record's bytes: the C3 01 marker, Score's fingerprint, then the fields in Avro binary. */
  public byte[] encode(Score s) {
    return write(
        required(s.getEntityId(), "entityId"),
        required(s.getEventTime(), "eventTime").toEpochMilli(),
        required(s.getScoredTime(), "scoredTime").toEpochMilli(),
        required(s.getModelName(), "modelName"),
        required(s.getModelVersion(), "modelVersion"),
        s.getReconstructionError(),
        s.getKl(),
        s.getRawScore(),
        s.getScore(),
        s.getAlert(),
        s.getStatistic(),
        s.getSeverity(),
        s.getWarmingUp());
  }

  /**
   * The bytes of {@link ScoredRow#toScore() row.toScore()}, without building the Score and its two
   * Instants: the scores sink writes one per input record.
   */
  public byte[] encode(ScoredRow row) {
    return write(
        required(row.entityId(), "entityId"),
        row.eventTime(),
        row.scoredAt(),
        required(row.modelName(), "modelName"),
        required(row.modelVersion(), "modelVersion"),
        row.reconstructionError(),
        row.kl(),
        row.rawScore(),
        row.score(),
        row.aboveThreshold(),
        row.statistic(),
        row.severity(),
        row.warmingUp());
  }

  private byte[] write(
      CharSequence entityId,
      long eventTime,
      long scoredTime,
      CharSequence modelName,
      CharSequence modelVersion,
      double reconstructionError,
      double kl,
      double rawScore,
      double score,
      boolean alert,
      double statistic,
      int severity,
      boolean warmingUp) {
    buffer.reset();
    buffer.write(HEADER, 0, HEADER.length);
    encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
    try {
      encoder.writeString(entityId);
      encoder.writeLong(eventTime);
      encoder.writeLong(scoredTime);
      encoder.writeString(modelName);
      encoder.writeString(modelVersion);
      encoder.writeDouble(reconstructionError);
      encoder.writeDouble(kl);
      encoder.writeDouble(rawScore);
      encoder.writeDouble(score);
      encoder.writeBoolean(alert);
      encoder.writeDouble(statistic);
      encoder.writeInt(severity);
      encoder.writeBoolean(warmingUp);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the buffer does not throw
    }
    return buffer.toByteArray();
  }

  /** Avro's encoder refuses a null here too (a NullPointerException); this one says which field. */
  private static <T> T required(T value, String field) {
    return Objects.requireNonNull(
        value, () -> "null value for (non-nullable) field Score." + field);
  }

  /**
   * Returns {@code schema} if its fields are the ones this class writes, in order.
   *
   * @throws IllegalStateException naming the first difference
   */
  static Schema checkSchema(Schema schema) {
    List<Schema.Field> fields = schema.getFields();
    for (int i = 0; i < Math.max(fields.size(), WRITES.size()); i++) {
      Field actual = i < fields.size() ? Field.of(fields.get(i)) : null;
      Field written = i < WRITES.size() ? WRITES.get(i) : null;
      if (!Objects.equals(actual, written)) {
        throw new IllegalStateException(
            "Score's schema changed: field "
                + i
                + " is "
                + actual
                + " but "
                + ScoreEncoder.class.getName()
                + " writes "
                + written
                + "; update it to the new schema");
      }
    }
    return schema;
  }

  /** A field as far as the binary encoding and its Java value are concerned. */
  private record Field(String name, Schema.Type type, String logicalType) {
    static Field of(Schema.Field f) {
      LogicalType logical = f.schema().getLogicalType();
      return new Field(f.name(), f.schema().getType(), logical == null ? null : logical.getName());
    }
  }

  /** A growable byte array without ByteArrayOutputStream's locking. */
  private static final class Buffer extends OutputStream {
    private byte[] bytes = new byte[128];
    private int size;

    void reset() {
      size = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }
}
