package io.vaeguard.pipeline.serde;

import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.schema.Observation;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.flink.annotation.VisibleForTesting;

/**
 * Decodes a Kafka value straight into a {@link FeatureRow}, with the same rows and failure reasons
 * as {@link ObservationDecoder} followed by {@link FeatureVectorizer}.
 *
 * <p>A record written with the current {@link Observation} schema (by far the common case) is read
 * field by field from the Avro binary: the model's features go into a float[] by name, without an
 * Observation, a HashMap of boxed Doubles or Avro's resolving decoder, which took ~15-20% of the
 * task thread. Anything else (another fingerprint, not single-object encoding, an empty value) goes
 * through ObservationDecoder and FeatureVectorizer unchanged, so schema resolution and its reasons
 * stay Avro's. Like Avro's decoder, bytes after the record are ignored.
 *
 * <p>Not thread-safe: one instance per task (it reuses its decoder and scratch arrays).
 */
public final class ObservationRowDecoder {

  private static final int HEADER_LENGTH = SingleObjectHeader.LENGTH;
  private static final byte[] CURRENT_HEADER = SingleObjectHeader.of(Observation.SCHEMA$);

  /** Avro's reason for an IOException (truncated data): RawMessageDecoder wraps it in this. */
  private static final String READ_FAILED =
      "undecodable: AvroRuntimeException: Decoding datum failed";

  private final String[] names;

  /** Null when the names cannot be matched by bytes: then every record takes the fallback. */
  private final FeatureIndex index;

  private final ObservationDecoder fallback;
  private final FeatureVectorizer vectorizer;
  private final double[] values;
  private final boolean[] seen;
  private final Utf8 key = new Utf8();

  /**
   * The feature found at each map position of the last record (-1: none), the next record's hints.
   */
  private final int[] hints = new int[64];

  private BinaryDecoder in;
  private String failure;

  public ObservationRowDecoder(List<String> featureNames) {
    this(featureNames, new ObservationDecoder());
  }

  /**
   * @param fallback decodes what the fast path does not read (e.g. with older writer schemas
   *     registered)
   */
  public ObservationRowDecoder(List<String> featureNames, ObservationDecoder fallback) {
    this.vectorizer = new FeatureVectorizer(featureNames); // refuses an empty list
    this.names = featureNames.toArray(String[]::new);
    this.index = FeatureIndex.canIndex(featureNames) ? new FeatureIndex(featureNames) : null;
    this.fallback = fallback;
    this.values = new double[names.length];
    this.seen = new boolean[names.length];
    Arrays.fill(hints, -1);
  }

  /** The row, or null with the reason in {@link #failure()}. */
  public FeatureRow decode(byte[] bytes) {
    failure = null;
    return readsDirectly(bytes) ? decodeCurrent(bytes) : decodeByAvro(bytes);
  }

  /**
   * Whether {@code bytes} take the fast path: the current schema's header, and names it can match.
   */
  @VisibleForTesting
  boolean readsDirectly(byte[] bytes) {
    return index != null
        && bytes != null
        && bytes.length >= HEADER_LENGTH
        && Arrays.equals(bytes, 0, HEADER_LENGTH, CURRENT_HEADER, 0, HEADER_LENGTH);
  }

  /** Why the last {@link #decode} returned null; null after a success. */
  public String failure() {
    return failure;
  }

  /** Fields in the current schema's order: entityId, eventTime, features, labels. */
  private FeatureRow decodeCurrent(byte[] bytes) {
    String entityId;
    long eventTime;
    Map<String, String> labels;
    try {
      in =
          DecoderFactory.get()
              .binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, in);
      entityId = in.readString();
      eventTime = in.readLong();
      Arrays.fill(seen, false);
      int position = 0;
      for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
        for (long k = 0; k < n; k++, position++) {
          in.readString(key);
          double v = in.readDouble(); // read even when unused: it fails on truncation like Avro's
          int i;
          if (position < hints.length) {
            i = index.indexOf(key, hints[position]);
            hints[position] = i;
          } else {
            i = index.indexOf(key);
          }
          if (i >= 0) {
            values[i] = v; // a repeated key: the last wins, as in Avro's HashMap
            seen[i] = true;
          }
        }
      }
      labels = readLabels();
    } catch (IOException e) {
      return fail(READ_FAILED);
    } catch (AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      return fail(ObservationDecoder.undecodable(e));
    }
    float[] row = new float[names.length];
    for (int i = 0; i < names.length; i++) {
      String reason =
          !seen[i]
              ? FeatureVectorizer.missing(names[i])
              : FeatureVectorizer.check(names[i], values[i]);
      if (reason != null) {
        return fail(reason);
      }
      row[i] = (float) values[i];
    }
    return new FeatureRow(entityId, eventTime, row, labels);
  }

  /** The labels union: 0 = null, 1 = map of strings. */
  private Map<String, String> readLabels() throws IOException {
    int branch = in.readIndex();
    if (branch == 0) {
      return null;
    }
    if (branch != 1) {
      throw new AvroRuntimeException(
          "Malformed data: union branch " + branch + " of labels, which has 2");
    }
    Map<String, String> labels = new HashMap<>();
    for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
      for (long k = 0; k < n; k++) {
        String name = in.readString();
        labels.put(name, in.readString());
      }
    }
    return labels;
  }

  private FeatureRow decodeByAvro(byte[] bytes) {
    Decoded<Observation> decoded = fallback.decode(bytes);
    if (!decoded.isOk()) {
      return fail(decoded.failure());
    }
    Observation obs = decoded.value();
    float[] row = new float[vectorizer.size()];
    String reason = vectorizer.vectorize(obs, row, 0);
    if (reason != null) {
      return fail(reason);
    }
    return new FeatureRow(
        obs.getEntityId(), obs.getEventTime().toEpochMilli(), row, obs.getLabels());
  }

  private FeatureRow fail(String reason) {
    failure = reason;
    return null;
  }
}
