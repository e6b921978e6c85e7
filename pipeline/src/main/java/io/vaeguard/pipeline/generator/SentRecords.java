package io.vaeguard.pipeline.generator;

import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.Reading;
import io.vaeguard.model.synth.SyntheticGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What an {@link ObservationProducer} has sent so far: counts, the latest event time per entity and
 * overall, and the anomaly spans injected, clipped to what was sent, so that a label never runs
 * ahead of the records. Written by the sending thread, read from any (a live view, a shutdown
 * hook).
 */
final class SentRecords {

  /** Records sent and anomalous among them, and spans injected, read together. */
  record Counts(long sent, long anomalous, int spans) {}

  private final Object lock = new Object();
  private final Map<String, Integer> entityIndex = new HashMap<>();
  private final long[] lastSent;
  private final List<AnomalySpan> spans = new ArrayList<>();
  private long sent;
  private long anomalous;
  private long lastEventTime = Long.MIN_VALUE;

  SentRecords(SyntheticGenerator generator) {
    for (int i = 0; i < generator.entities(); i++) {
      entityIndex.put(generator.entityId(i), i);
    }
    this.lastSent = new long[generator.entities()];
    Arrays.fill(lastSent, Long.MIN_VALUE);
  }

  /**
   * The generator's spans so far ({@link SyntheticGenerator#anomalySpans()}): notes the new ones.
   */
  void injected(List<AnomalySpan> all) {
    synchronized (lock) {
      if (all.size() > spans.size()) {
        spans.addAll(all.subList(spans.size(), all.size()));
      }
    }
  }

  /** {@code r} was handed to Kafka. */
  void sent(Reading r) {
    synchronized (lock) {
      lastSent[r.entityIndex()] = r.eventTimeMillis();
      lastEventTime = Math.max(lastEventTime, r.eventTimeMillis());
      sent++;
      if (r.isAnomalous()) {
        anomalous++;
      }
    }
  }

  long count() {
    synchronized (lock) {
      return sent;
    }
  }

  Counts counts() {
    synchronized (lock) {
      return new Counts(sent, anomalous, spansLocked().size());
    }
  }

  OptionalLong lastEventTimeMillis() {
    synchronized (lock) {
      return lastEventTime == Long.MIN_VALUE
          ? OptionalLong.empty()
          : OptionalLong.of(lastEventTime);
    }
  }

  /** Every span injected so far, each clipped to the last record sent for its entity. */
  List<AnomalySpan> spans() {
    synchronized (lock) {
      return spansLocked();
    }
  }

  private List<AnomalySpan> spansLocked() {
    List<AnomalySpan> out = new ArrayList<>(spans.size());
    for (AnomalySpan s : spans) {
      AnomalySpan c = s.clippedTo(lastSent[entityIndex.get(s.entityId())]);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }
}
