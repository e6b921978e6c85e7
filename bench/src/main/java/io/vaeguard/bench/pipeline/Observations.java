package io.vaeguard.bench.pipeline;

import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.Reading;
import io.vaeguard.model.synth.SyntheticGenerator;
import io.vaeguard.schema.Observation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Synthetic Observations (the generator's 8 sensor channels) as Kafka values in Avro single-object
 * encoding. A pool of readings is generated once and cycled, so producing costs one encode per
 * record; the event time is the caller's (the reading's own, or the wall clock at send).
 *
 * <p>Not the project's {@code ObservationProducer} ({@code io.vaeguard.pipeline.generator}, behind
 * {@code generate}, the demo and Docker), on purpose: the benchmark's inputs carry no labels and
 * its latency load stamps the wall clock at send as event time, and both the records' content and
 * the producer's cost per record are part of the figures in BENCHMARKS.md. Its paced load uses the
 * shared {@code RatePacer}.
 */
final class Observations {

  private final String[] entities;
  private final Map<String, Double>[] features;
  private final long[] eventTimes;
  private final BinaryMessageEncoder<Observation> encoder = Observation.getEncoder();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
  private int next;

  @SuppressWarnings("unchecked")
  Observations(int entities, int pool, long seed) {
    SyntheticGenerator gen =
        new SyntheticGenerator(GeneratorConfig.builder().entities(entities).seed(seed).build());
    this.entities = new String[pool];
    this.features = new Map[pool];
    this.eventTimes = new long[pool];
    for (int i = 0; i < pool; i++) {
      Reading r = gen.next();
      this.entities[i] = r.entityId();
      this.features[i] = r.features();
      this.eventTimes[i] = r.eventTimeMillis();
    }
  }

  /** The next pooled reading, encoded, with its own event time. */
  byte[] next() {
    int i = next;
    return encode(i, eventTimes[i]);
  }

  /** The next pooled reading, encoded, with {@code eventTimeMillis} as its event time. */
  byte[] next(long eventTimeMillis) {
    return encode(next, eventTimeMillis);
  }

  private byte[] encode(int i, long eventTime) {
    next = (i + 1) % entities.length;
    Observation o =
        Observation.newBuilder()
            .setEntityId(entities[i])
            .setEventTime(Instant.ofEpochMilli(eventTime))
            .setFeatures(features[i])
            .build();
    buffer.reset();
    try {
      encoder.encode(o, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }
}
