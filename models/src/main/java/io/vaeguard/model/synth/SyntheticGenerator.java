package io.vaeguard.model.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Seeded, endless, per-entity generator of sensor-like readings with injected, labelled anomalies:
 * {@link Channel} describes the signals, {@link AnomalyKind} the anomalies, {@link GeneratorConfig}
 * the settings.
 *
 * <p>Readings come one at a time, so a Kafka producer can send them as they are made: {@link
 * #next()} goes round the entities (entity 0..n-1 at step 0, then at step 1, ...), so event times
 * never go backwards; {@link #next(int)} advances one entity alone. Each entity's stream depends
 * only on the seed and its index, not on the order of calls.
 *
 * <p>Not thread-safe: give each producer thread its own generator (with its own seed or entities).
 */
public final class SyntheticGenerator {

  private final GeneratorConfig config;
  private final List<EntityStream> streams;
  private final List<AnomalySpan> spans = new ArrayList<>();
  private int cursor;

  public SyntheticGenerator(GeneratorConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    List<EntityStream> list = new ArrayList<>(config.entities());
    for (int i = 0; i < config.entities(); i++) {
      list.add(new EntityStream(config, i, entityId(i, config.entities())));
    }
    this.streams = List.copyOf(list);
  }

  /** Channel (column) names, in the order of {@link Reading#values()}. */
  public static List<String> channelNames() {
    return Channel.columns();
  }

  public GeneratorConfig config() {
    return config;
  }

  public int entities() {
    return streams.size();
  }

  /** {@code entity-007}: zero-padded to at least three digits, so ids sort in index order. */
  public String entityId(int index) {
    checkIndex(index);
    return entityId(index, streams.size());
  }

  private static String entityId(int index, int count) {
    int width = Math.max(3, String.valueOf(count - 1).length());
    return String.format("entity-%0" + width + "d", index);
  }

  /** The next reading, going round the entities. */
  public Reading next() {
    Reading r = next(cursor);
    cursor = (cursor + 1) % streams.size();
    return r;
  }

  /** The next reading of one entity. */
  public Reading next(int entityIndex) {
    checkIndex(entityIndex);
    return streams.get(entityIndex).next(spans::add);
  }

  /**
   * Every anomaly started so far, in the order they started. A span is listed from its first
   * reading on, with its planned end, which may lie beyond the last reading made; {@link
   * AnomalySpan#clippedTo(long)} cuts it.
   */
  public List<AnomalySpan> anomalySpans() {
    return Collections.unmodifiableList(new ArrayList<>(spans));
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= streams.size()) {
      throw new IndexOutOfBoundsException(
          "entity index " + index + " outside 0.." + (streams.size() - 1));
    }
  }
}
