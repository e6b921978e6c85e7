package io.vaeguard.model.synth;

import java.util.List;

/**
 * One injected anomaly: every reading of {@code entityId} with an event time in {@code
 * [startMillis, endMillis]} (both inclusive) carries {@code kind} as its label.
 *
 * @param entityId the entity it hit
 * @param startMillis event time of its first reading
 * @param endMillis event time of its last reading (inclusive)
 * @param kind what was injected
 * @param channels the channels it changed, in channel order
 */
public record AnomalySpan(
    String entityId, long startMillis, long endMillis, AnomalyKind kind, List<Channel> channels) {

  public AnomalySpan {
    if (endMillis < startMillis) {
      throw new IllegalArgumentException(
          "anomaly span ends (" + endMillis + ") before it starts (" + startMillis + ")");
    }
    channels = List.copyOf(channels);
  }

  public boolean contains(String entity, long eventTimeMillis) {
    return entityId.equals(entity)
        && eventTimeMillis >= startMillis
        && eventTimeMillis <= endMillis;
  }

  /**
   * This span cut to end no later than {@code lastMillis}, or null when it starts after it. A span
   * is recorded when it starts, with its planned end, so a run that stops early clips with this.
   */
  public AnomalySpan clippedTo(long lastMillis) {
    if (startMillis > lastMillis) {
      return null;
    }
    return endMillis <= lastMillis
        ? this
        : new AnomalySpan(entityId, startMillis, lastMillis, kind, channels);
  }
}
