package io.vaeguard.model.synth;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One synthetic observation of one entity.
 *
 * @param entityId e.g. {@code entity-007}
 * @param entityIndex 0-based index of the entity in the generator
 * @param step 0-based step of this entity's stream
 * @param eventTimeMillis epoch millis: {@code startMillis + step * stepMillis}
 * @param values one value per {@link Channel}, in channel order, physical units; the array belongs
 *     to this reading and is not shared with the generator
 * @param anomaly the injected anomaly covering this reading, or null for a normal reading
 */
public record Reading(
    String entityId,
    int entityIndex,
    long step,
    long eventTimeMillis,
    double[] values,
    AnomalyKind anomaly) {

  public Reading {
    Objects.requireNonNull(entityId, "entityId");
    Objects.requireNonNull(values, "values");
  }

  public boolean isAnomalous() {
    return anomaly != null;
  }

  /** Column name to value, in channel order: the shape of an Avro {@code Observation.features}. */
  public Map<String, Double> features() {
    Map<String, Double> m = new LinkedHashMap<>();
    Channel[] channels = Channel.values();
    for (int c = 0; c < channels.length; c++) {
      m.put(channels[c].column(), values[c]);
    }
    return m;
  }

  // Arrays need content equality, or two identical runs would never compare equal.
  @Override
  public boolean equals(Object o) {
    return o instanceof Reading r
        && entityIndex == r.entityIndex
        && step == r.step
        && eventTimeMillis == r.eventTimeMillis
        && entityId.equals(r.entityId)
        && Arrays.equals(values, r.values)
        && anomaly == r.anomaly;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        entityId, entityIndex, step, eventTimeMillis, Arrays.hashCode(values), anomaly);
  }

  @Override
  public String toString() {
    return "Reading["
        + entityId
        + " t="
        + eventTimeMillis
        + " "
        + Arrays.toString(values)
        + (anomaly == null ? "" : " " + anomaly)
        + "]";
  }
}
