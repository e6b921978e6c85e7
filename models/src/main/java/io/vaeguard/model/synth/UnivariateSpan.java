package io.vaeguard.model.synth;

import java.util.Objects;

/**
 * Rows of one entity with event times in {@code [startMillis, endMillis]} (both inclusive) that
 * carry {@code kind}. An anomaly span covers every row of the anomaly; a level-shift span covers
 * the one row where the shift happens (the new level lasts, but it is normal), so {@code start ==
 * end}.
 */
public record UnivariateSpan(String entity, long startMillis, long endMillis, UnivariateKind kind) {

  public UnivariateSpan {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(kind, "kind");
    if (endMillis < startMillis) {
      throw new IllegalArgumentException(
          "span ends (" + endMillis + ") before it starts (" + startMillis + ")");
    }
  }

  /** 1 for an anomaly, 0 for a level shift. */
  public int label() {
    return kind.label();
  }

  public boolean contains(String entityId, long timestampMillis) {
    return entity.equals(entityId)
        && timestampMillis >= startMillis
        && timestampMillis <= endMillis;
  }

  /** This span cut to end no later than {@code lastMillis}, or null when it starts after it. */
  public UnivariateSpan clippedTo(long lastMillis) {
    if (startMillis > lastMillis) {
      return null;
    }
    return endMillis <= lastMillis
        ? this
        : new UnivariateSpan(entity, startMillis, lastMillis, kind);
  }
}
