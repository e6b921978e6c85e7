package io.vaeguard.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.schema.Observation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** The fast path against the path it replaces: ObservationDecoder, then FeatureVectorizer. */
class ObservationRowDecoderTest {

  private static final List<String> FEATURES =
      List.of("pressure", "flow", "current", "temp", "débit-κ", "z𝔘");
  private static final long SEED = 20_240_611L;

  /** One feature entry as written: a String or a Utf8 holding arbitrary (maybe invalid) bytes. */
  private record Entry(CharSequence key, double value) {}

  /** What the replaced path produced: a FeatureRow or a failure reason. */
  private static Object oldPath(
      ObservationDecoder decoder, FeatureVectorizer vectorizer, byte[] bytes) {
    Decoded<Observation> d = decoder.decode(bytes);
    if (!d.isOk()) {
      return d.failure();
    }
    Observation obs = d.value();
    float[] values = new float[vectorizer.size()];
    String failure = vectorizer.vectorize(obs, values, 0);
    return failure != null
        ? failure
        : new FeatureRow(
            obs.getEntityId(), obs.getEventTime().toEpochMilli(), values, obs.getLabels());
  }

  private static Object newPath(ObservationRowDecoder decoder, byte[] bytes) {
    FeatureRow row = decoder.decode(bytes);
    return row != null ? row : decoder.failure();
  }

  private static byte[] header() {
    return Arrays.copyOf(
        encode(
            Observation.newBuilder()
                .setEntityId("e")
                .setEventTime(Instant.EPOCH)
                .setFeatures(Map.of())
                .build()),
        10);
  }

  private static byte[] encode(Observation obs) {
    ByteBuffer buf;
    try {
      buf = Observation.getEncoder().encode(obs);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    byte[] b = new byte[buf.remaining()];
    buf.get(b);
    return b;
  }

  /** Writes the current schema by hand, so maps can repeat keys and come in several blocks. */
  private static byte[] write(
      String entityId,
      long eventTime,
      List<Entry> features,
      List<String[]> labels,
      boolean blocking)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header());
    Encoder e =
        blocking
            ? new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null)
            : EncoderFactory.get().binaryEncoder(out, null);
    e.writeString(entityId);
    e.writeLong(eventTime);
    e.writeMapStart();
    e.setItemCount(features.size());
    for (Entry f : features) {
      e.startItem();
      e.writeString(f.key());
      e.writeDouble(f.value());
    }
    e.writeMapEnd();
    if (labels == null) {
      e.writeIndex(0);
    } else {
      e.writeIndex(1);
      e.writeMapStart();
      e.setItemCount(labels.size());
      for (String[] kv : labels) {
        e.startItem();
        e.writeString(kv[0]);
        e.writeString(kv[1]);
      }
      e.writeMapEnd();
    }
    e.flush();
    return out.toByteArray();
  }

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(10)) {
        case 0 -> sb.appendCodePoint(0x80 + r.nextInt(0x700)); // 2-byte UTF-8
        case 1 -> sb.appendCodePoint(0x800 + r.nextInt(0xD000 - 0x800)); // 3-byte
        case 2 ->
            sb.appendCodePoint(0x10000 + r.nextInt(0x1000)); // 4-byte, a surrogate pair in Java
        case 3 -> sb.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate, written as '?'
        default -> sb.append((char) ('a' + r.nextInt(26)));
      }
    }
    return sb.toString();
  }

  private static double randomValue(Random r) {
    return switch (r.nextInt(60)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> r.nextBoolean() ? 1e300 : -1e300; // finite, not a float
      case 4 ->
          Math.nextUp((double) Float.MAX_VALUE) * (r.nextBoolean() ? 1 : -1); // rounds to MAX_VALUE
      case 5 -> 3.4028236e38; // rounds to infinity as a float
      case 6 -> Double.MIN_VALUE; // a float 0
      case 7 -> -0.0;
      case 8 -> Double.longBitsToDouble(r.nextLong()); // any bits, NaN payloads too
      default -> r.nextGaussian() * 1000;
    };
  }

  private static CharSequence randomKey(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> FEATURES.get(r.nextInt(FEATURES.size())).toUpperCase();
      case 1 -> FEATURES.get(r.nextInt(FEATURES.size())) + "x";
      case 2 -> FEATURES.get(r.nextInt(FEATURES.size())).substring(1);
      case 3 ->
          new Utf8(
              new byte[] {(byte) 0xFF, 'f', (byte) 0xC3}); // malformed UTF-8: U+FFFD as a String
      default -> randomString(r);
    };
  }

  private static List<Entry> randomFeatures(Random r) {
    List<Entry> features = new ArrayList<>();
    if (r.nextInt(30) == 0) {
      return features; // an empty map
    }
    for (String name : FEATURES) {
      if (r.nextInt(40) != 0) {
        features.add(new Entry(name, randomValue(r)));
      }
    }
    int extras = r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(4);
    for (int i = 0; i < extras; i++) {
      features.add(new Entry(randomKey(r), randomValue(r)));
    }
    if (r.nextInt(5) == 0) { // a repeated model feature: the later one counts
      features.add(new Entry(FEATURES.get(r.nextInt(FEATURES.size())), randomValue(r)));
    }
    Collections.shuffle(features, r);
    return features;
  }

  private static List<String[]> randomLabels(Random r) {
    int kind = r.nextInt(10);
    if (kind < 5) {
      return null;
    }
    List<String[]> labels = new ArrayList<>();
    int n = kind == 5 ? 0 : r.nextInt(12);
    for (int i = 0; i < n; i++) {
      labels.add(new String[] {r.nextInt(4) == 0 ? "anomaly" : randomString(r), randomString(r)});
    }
    return labels;
  }

  private static long randomTime(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Long.MIN_VALUE;
      case 1 -> Long.MAX_VALUE;
      case 2 -> r.nextLong();
      default -> 1_700_000_000_000L + r.nextInt(1_000_000);
    };
  }

  /**
   * A random record in the current schema: by hand (maybe blocked, maybe with repeats) or by Avro.
   */
  private static byte[] randomRecord(Random r) throws Exception {
    String entityId = randomString(r);
    long eventTime = randomTime(r);
    List<Entry> features = randomFeatures(r);
    List<String[]> labels = randomLabels(r);
    if (r.nextInt(3) > 0) {
      return write(entityId, eventTime, features, labels, r.nextBoolean());
    }
    Map<String, Double> map = new LinkedHashMap<>(); // Avro writes it in this (shuffled) order
    features.forEach(f -> map.put(f.key().toString(), f.value()));
    Map<String, String> labelMap = null;
    if (labels != null) {
      labelMap = new LinkedHashMap<>();
      for (String[] kv : labels) {
        labelMap.put(kv[0], kv[1]);
      }
    }
    return encode(new Observation(entityId, Instant.ofEpochMilli(eventTime), map, labelMap));
  }

  @Test
  void theCurrentSchemasHeaderIsReadDirectly() {
    ObservationRowDecoder decoder = new ObservationRowDecoder(FEATURES);
    assertThat(decoder.readsDirectly(header())).isTrue();
    byte[] otherFingerprint = header();
    otherFingerprint[9] ^= 1;
    assertThat(decoder.readsDirectly(otherFingerprint)).isFalse();
    assertThat(decoder.readsDirectly(Arrays.copyOf(header(), 9))).isFalse();
    assertThat(decoder.readsDirectly(null)).isFalse();
  }

  @Test
  void randomRecordsGiveTheSameRowOrReasonAsObservationDecoderAndFeatureVectorizer()
      throws Exception {
    Random r = new Random(SEED);
    ObservationRowDecoder fast = new ObservationRowDecoder(FEATURES);
    ObservationDecoder decoder = new ObservationDecoder();
    FeatureVectorizer vectorizer = new FeatureVectorizer(FEATURES);
    int rows = 0;
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = randomRecord(r);
      assertThat(fast.readsDirectly(bytes)).isTrue();
      Object expected = oldPath(decoder, vectorizer, bytes);
      assertThat(newPath(fast, bytes))
          .as("record %d: %s", i, HexFormat.of().formatHex(bytes))
          .isEqualTo(expected);
      if (expected instanceof FeatureRow) {
        rows++;
      } else {
        reasons.add(((String) expected).replaceAll("[:=].*", ""));
      }
    }
    // the generator reaches every outcome, often
    assertThat(rows).isGreaterThan(1_000);
    assertThat(reasons)
        .contains("missing feature", "non-finite feature", "feature out of float range");
  }

  @Test
  void aMapInSeveralBlocksIsReadWhole() throws Exception {
    List<Entry> features = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      features.add(new Entry("extra-" + i, i));
    }
    features.add(new Entry("flow", 2.0));
    features.add(0, new Entry("pressure", 1.0));
    byte[] bytes = write("e", 1, features, null, true);
    assertThat(bytes[13] & 1).as("a negative (sized) first block count, zig-zag").isEqualTo(1);
    FeatureRow row =
        new ObservationRowDecoder(List.of("flow", "extra-39", "pressure")).decode(bytes);
    assertThat(row).isEqualTo(new FeatureRow("e", 1, new float[] {2f, 39f, 1f}, null));
  }

  @Test
  void truncatedRecordsAreUndecodableWithTheSameReason() throws Exception {
    Random r = new Random(SEED + 1);
    ObservationRowDecoder fast = new ObservationRowDecoder(FEATURES);
    ObservationDecoder decoder = new ObservationDecoder();
    FeatureVectorizer vectorizer = new FeatureVectorizer(FEATURES);
    for (int i = 0; i < 60; i++) {
      byte[] full = randomRecord(r);
      for (int len = 0; len < full.length; len++) {
        byte[] cut = Arrays.copyOf(full, len);
        Object expected = oldPath(decoder, vectorizer, cut);
        assertThat(expected)
            .as("Avro's outcome for %d of %d bytes", len, full.length)
            .asString()
            .startsWith("undecodable: ");
        assertThat(newPath(fast, cut))
            .as("%d of %d bytes: %s", len, full.length, HexFormat.of().formatHex(cut))
            .isEqualTo(expected);
      }
      assertThat(newPath(fast, full))
          .isEqualTo(oldPath(decoder, vectorizer, full)); // still fine afterwards
    }
  }

  @Test
  void trailingBytesAreIgnoredAsAvroIgnoresThem() throws Exception {
    Random r = new Random(SEED + 2);
    ObservationRowDecoder fast = new ObservationRowDecoder(FEATURES);
    ObservationDecoder decoder = new ObservationDecoder();
    FeatureVectorizer vectorizer = new FeatureVectorizer(FEATURES);
    int rows = 0;
    for (int i = 0; i < 500; i++) {
      byte[] full = randomRecord(r);
      byte[] longer = Arrays.copyOf(full, full.length + 1 + r.nextInt(20));
      for (int j = full.length; j < longer.length; j++) {
        longer[j] = (byte) r.nextInt();
      }
      Object expected = oldPath(decoder, vectorizer, longer);
      assertThat(expected).isEqualTo(oldPath(decoder, vectorizer, full));
      assertThat(newPath(fast, longer)).isEqualTo(expected);
      rows += expected instanceof FeatureRow ? 1 : 0;
    }
    assertThat(rows).isGreaterThan(100);
  }

  @Test
  void aLabelsBranchBeyondTheUnionIsUndecodable() throws Exception {
    byte[] good =
        write("e", 1, FEATURES.stream().map(f -> new Entry(f, 1.0)).toList(), null, false);
    byte[] bad = good.clone();
    bad[bad.length - 1] = 4; // union index 2 (zig-zag)
    ObservationRowDecoder fast = new ObservationRowDecoder(FEATURES);
    assertThat(fast.decode(good)).isNotNull();
    assertThat(fast.decode(bad)).isNull();
    assertThat(fast.failure()).startsWith("undecodable: ");
    assertThat(oldPath(new ObservationDecoder(), new FeatureVectorizer(FEATURES), bad))
        .asString()
        .startsWith("undecodable: ");
  }

  @Test
  void otherBytesGoThroughAvroWithItsReasons() throws Exception {
    ObservationRowDecoder fast = new ObservationRowDecoder(FEATURES);
    assertThat(fast.decode(null)).isNull();
    assertThat(fast.failure()).isEqualTo("undecodable: empty record value");
    assertThat(fast.decode("not avro at all".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(fast.failure()).startsWith("undecodable: not Avro single-object encoding");
    byte[] otherFingerprint = write("e", 1, List.of(), null, false);
    otherFingerprint[5] ^= 1;
    assertThat(fast.decode(otherFingerprint)).isNull();
    assertThat(fast.failure()).startsWith("unknown schema: ");
  }

  @Test
  void anOlderRegisteredWriterSchemaStillDecodesThroughAvro() throws Exception {
    // Version 0 of Observation had no labels field.
    Schema v0 =
        new Schema.Parser()
            .parse(
                """
        {"type":"record","name":"Observation","namespace":"io.vaeguard.schema","fields":[
          {"name":"entityId","type":"string"},
          {"name":"eventTime","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"features","type":{"type":"map","values":"double"}}]}""");
    GenericRecord old = new GenericData.Record(v0);
    old.put("entityId", "e1");
    old.put("eventTime", 42L);
    old.put("features", Map.of("a", 3.0, "b", -1.5, "c", 9.0));
    byte[] encoded =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old).array();

    ObservationRowDecoder plain = new ObservationRowDecoder(List.of("b", "a"));
    assertThat(plain.decode(encoded)).isNull();
    assertThat(plain.failure()).startsWith("unknown schema: ");
    ObservationRowDecoder registered =
        new ObservationRowDecoder(List.of("b", "a"), new ObservationDecoder().withWriterSchema(v0));
    assertThat(registered.readsDirectly(encoded)).isFalse();
    assertThat(registered.decode(encoded))
        .isEqualTo(new FeatureRow("e1", 42, new float[] {-1.5f, 3f}, null));
    assertThat(registered.decode(write("e1", 42, List.of(new Entry("a", 3.0)), null, false)))
        .isNull();
    assertThat(registered.failure()).isEqualTo("missing feature: b");
  }

  @Test
  void namesItCannotMatchByBytesGoThroughAvro() throws Exception {
    List<List<String>> awkward =
        List.of(List.of("a", "a"), List.of("a", "\uFFFDf\uFFFD"), List.of("a", "\uD800"));
    Random r = new Random(SEED + 3);
    for (List<String> names : awkward) {
      ObservationRowDecoder fast = new ObservationRowDecoder(names);
      ObservationDecoder decoder = new ObservationDecoder();
      FeatureVectorizer vectorizer = new FeatureVectorizer(names);
      byte[] bytes =
          write(
              "e",
              7,
              List.of(
                  new Entry("a", 1.0),
                  new Entry(names.get(1), 2.0),
                  new Entry(new Utf8(new byte[] {(byte) 0xFF, 'f', (byte) 0xC3}), 3.0),
                  new Entry("?", 4.0)),
              null,
              r.nextBoolean());
      assertThat(fast.readsDirectly(bytes)).isFalse();
      Object expected = oldPath(decoder, vectorizer, bytes);
      assertThat(newPath(fast, bytes)).isEqualTo(expected);
      if (!names.get(1).equals("\uD800")) { // a lone surrogate cannot be written, so it is missing
        assertThat(expected).isInstanceOf(FeatureRow.class);
      }
    }
  }
}
