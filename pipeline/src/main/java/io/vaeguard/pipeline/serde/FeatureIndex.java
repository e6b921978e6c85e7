package io.vaeguard.pipeline.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.util.Utf8;

/**
 * The model's feature names by their UTF-8 bytes, so a map key read into a reused {@link Utf8} is
 * found without decoding it to a String (open addressing, linear probing).
 */
final class FeatureIndex {

  private final byte[][] names;

  /** Slot to feature index + 1; 0 = empty. */
  private final int[] slots;

  private final int mask;

  /**
   * @param featureNames distinct names that survive a UTF-8 round trip (see {@link #canIndex})
   */
  FeatureIndex(List<String> featureNames) {
    if (!canIndex(featureNames)) {
      throw new IllegalArgumentException(
          "feature names must be distinct and valid UTF-16: " + featureNames);
    }
    names = new byte[featureNames.size()][];
    int size = Integer.highestOneBit(Math.max(2, featureNames.size()) * 4 - 1);
    slots = new int[size];
    mask = size - 1;
    for (int i = 0; i < names.length; i++) {
      names[i] = featureNames.get(i).getBytes(StandardCharsets.UTF_8);
      int s = hash(names[i], names[i].length) & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = i + 1;
    }
  }

  /**
   * Whether byte equality of UTF-8 keys agrees with String equality of the keys Avro decodes: not
   * for duplicates, nor for names with lone surrogates (encoded as '?') or U+FFFD (what malformed
   * bytes decode to), which the String path could match from other bytes.
   */
  static boolean canIndex(List<String> featureNames) {
    for (String name : featureNames) {
      if (name.indexOf('\uFFFD') >= 0
          || !new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
              .equals(name)) {
        return false;
      }
    }
    return featureNames.stream().distinct().count() == featureNames.size();
  }

  /** The feature's index, or -1 for a name the model does not use. */
  int indexOf(Utf8 key) {
    byte[] b = key.getBytes();
    int len = key.getByteLength();
    for (int s = hash(b, len) & mask; ; s = (s + 1) & mask) {
      int slot = slots[s];
      if (slot == 0) {
        return -1;
      }
      byte[] name = names[slot - 1];
      if (name.length == len && Arrays.equals(name, 0, len, b, 0, len)) {
        return slot - 1;
      }
    }
  }

  /**
   * {@link #indexOf(Utf8)}, trying feature {@code hint} first (-1: no hint). A producer writes its
   * map keys in the same order record after record, so the feature found at the same position of
   * the last record is nearly always right, and one comparison replaces hashing the key.
   */
  int indexOf(Utf8 key, int hint) {
    if (hint >= 0) {
      byte[] name = names[hint];
      int len = key.getByteLength();
      if (name.length == len && Arrays.equals(name, 0, len, key.getBytes(), 0, len)) {
        return hint;
      }
    }
    return indexOf(key);
  }

  private static int hash(byte[] b, int len) {
    int h = len;
    for (int i = 0; i < len; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 16);
  }
}
