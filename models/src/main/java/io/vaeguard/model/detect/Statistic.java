package io.vaeguard.model.detect;

/**
 * The per-row number the detector watches, worked out from the model's outputs for one row.
 *
 * <p>Standardised statistics divide each feature's part of the reconstruction error by that
 * feature's mean part on the fitting rows, so a feature the model always reconstructs poorly (a
 * noisy sensor) does not drown one it reconstructs well. Against the raw error (BENCHMARKS.md, flag
 * table): TEP detection 79.7% against 78.3%, SKAB false alarms 24% against 32% at a lower F1.
 */
public enum Statistic {
  /** The largest standardised per-feature error: one broken channel is enough. The default. */
  MAX_STANDARDISED("max-standardised"),
  /** The mean standardised per-feature error. */
  MEAN_STANDARDISED("mean-standardised"),
  /**
   * The raw score: reconstruction error + klWeight * KL (models trained before the detector
   * existed).
   */
  RAW("raw");

  private final String id;

  Statistic(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  @com.fasterxml.jackson.annotation.JsonValue
  @Override
  public String toString() {
    return id;
  }

  @com.fasterxml.jackson.annotation.JsonCreator
  public static Statistic parse(String s) {
    for (Statistic v : values()) {
      if (v.id.equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown statistic '" + s + "': max-standardised, mean-standardised or raw");
  }

  /** Whether it needs every row's per-feature errors (and so the card's error scales). */
  public boolean standardised() {
    return this != RAW;
  }
}
