package io.vaeguard.pipeline.serde;

import io.vaeguard.schema.Observation;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;

/**
 * Decodes {@link Observation}s from Avro single-object encoding (marker {@code C3 01}, the writer
 * schema's 8-byte fingerprint, then Avro binary). The fingerprint is why we use this format over
 * raw Avro binary: a record written with an unknown schema is refused with a reason instead of
 * being misread as garbage. Older writer schemas can be registered with {@link #withWriterSchema}
 * and are resolved to the current one by Avro's schema resolution.
 *
 * <p>Not thread-safe: one instance per task (it reuses the decoder state).
 */
public final class ObservationDecoder {

  private final BinaryMessageDecoder<Observation> decoder;

  public ObservationDecoder() {
    this.decoder =
        new BinaryMessageDecoder<>(
            SpecificData.getForSchema(Observation.SCHEMA$), Observation.SCHEMA$);
  }

  /**
   * Accepts records written with {@code writerSchema} too (an older or newer Observation version).
   */
  public ObservationDecoder withWriterSchema(Schema writerSchema) {
    decoder.addSchema(writerSchema);
    return this;
  }

  public Decoded<Observation> decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return Decoded.failed("undecodable: empty record value");
    }
    try {
      return Decoded.ok(decoder.decode(ByteBuffer.wrap(bytes)));
    } catch (MissingSchemaException e) {
      return Decoded.failed("unknown schema: " + e.getMessage());
    } catch (BadHeaderException e) {
      return Decoded.failed(
          "undecodable: not Avro single-object encoding (" + e.getMessage() + ")");
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException e) {
      // Truncated or corrupt Avro binary surfaces as any of these, depending on where it breaks.
      return Decoded.failed(undecodable(e));
    }
  }

  /** The reason for Avro binary that breaks while being read. */
  static String undecodable(Exception e) {
    return "undecodable: " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
