package io.vaeguard.pipeline.generator;

import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.Reading;
import io.vaeguard.model.synth.SyntheticGenerator;
import io.vaeguard.schema.Observation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic generator's readings as the Observations the job reads, with their ground truth as
 * labels ({@code anomaly} = 1 or 0, {@code kind} for anomalous readings): one definition for the
 * generator verbs, the demo and the integration tests.
 */
public final class LabelledObservations {

  private LabelledObservations() {}

  /** One reading as an Observation. */
  public static Observation of(Reading r) {
    Map<String, String> labels = new HashMap<>(4);
    labels.put("anomaly", r.isAnomalous() ? "1" : "0");
    if (r.isAnomalous()) {
      labels.put("kind", r.anomaly().name());
    }
    return Observation.newBuilder()
        .setEntityId(r.entityId())
        .setEventTime(Instant.ofEpochMilli(r.eventTimeMillis()))
        .setFeatures(r.features())
        .setLabels(labels)
        .build();
  }

  /**
   * {@code steps} one-minute steps of {@code entities} entities, in time order across entities (one
   * step of every entity, then the next), as the default model was trained on.
   */
  public static List<Observation> stream(long seed, int entities, int steps, double anomalyRate) {
    SyntheticGenerator gen =
        new SyntheticGenerator(
            GeneratorConfig.builder()
                .entities(entities)
                .stepMillis(60_000)
                .seed(seed)
                .anomalyRate(anomalyRate)
                .build());
    List<Observation> out = new ArrayList<>(entities * steps);
    for (int s = 0; s < steps; s++) {
      for (int e = 0; e < entities; e++) {
        out.add(of(gen.next(e)));
      }
    }
    return out;
  }

  /** The Kafka value: Avro single-object encoding. */
  public static byte[] encode(Observation o) {
    try {
      ByteBuffer buf = o.toByteBuffer();
      byte[] bytes = new byte[buf.remaining()];
      buf.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode an Observation of " + o.getEntityId(), e);
    }
  }

  /** {@link #encode} of each. */
  public static List<byte[]> encode(List<Observation> observations) {
    List<byte[]> out = new ArrayList<>(observations.size());
    for (Observation o : observations) {
      out.add(encode(o));
    }
    return out;
  }

  /**
   * An observation's (or an alert's) identity in {@link #anomalySpans}: {@code
   * entity@eventTimeMillis}.
   */
  public static String key(String entityId, long eventTimeMillis) {
    return entityId + "@" + eventTimeMillis;
  }

  /**
   * The anomaly span of every anomalous observation of a stream in time order, by {@link #key}: a
   * span is a run of one entity's observations labelled with one kind, named {@code
   * entity/kind/eventTime of its first observation}. For scoring alerts against the truth.
   */
  public static Map<String, String> anomalySpans(List<Observation> stream) {
    Map<String, String> open = new HashMap<>();
    Map<String, String> out = new HashMap<>();
    for (Observation o : stream) {
      String entity = o.getEntityId();
      if (!"1".equals(o.getLabels().get("anomaly"))) {
        open.remove(entity);
        continue;
      }
      String prefix = entity + "/" + o.getLabels().get("kind") + "/";
      String current = open.get(entity);
      if (current == null || !current.startsWith(prefix)) {
        current = prefix + o.getEventTime().toEpochMilli();
        open.put(entity, current);
      }
      out.put(key(entity, o.getEventTime().toEpochMilli()), current);
    }
    return out;
  }
}
