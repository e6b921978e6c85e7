package io.vaeguard.pipeline.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The 10-byte header of Avro single-object encoding: the marker {@code C3 01}, then the schema's
 * CRC-64-AVRO parsing fingerprint, little-endian, as {@code BinaryMessageEncoder} writes it. For
 * the fast paths that read and write the bytes themselves.
 */
public final class SingleObjectHeader {

  public static final int LENGTH = 10;

  private SingleObjectHeader() {}

  /** A new array with {@code schema}'s header. */
  public static byte[] of(Schema schema) {
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    byte[] h = new byte[LENGTH];
    h[0] = (byte) 0xC3;
    h[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) {
      h[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return h;
  }
}
