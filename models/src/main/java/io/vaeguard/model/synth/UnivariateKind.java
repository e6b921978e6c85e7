package io.vaeguard.model.synth;

import java.util.EnumSet;
import java.util.Set;

/**
 * What {@link UnivariateGenerator} marks on a row. {@link #LEVEL_SHIFT} is normal behaviour (label
 * 0) that is marked only so it can be counted; the other kinds are anomalies (label 1). Effects are
 * sized in the entity's noise sigma.
 */
public enum UnivariateKind {
  /**
   * The mean steps up or down by 3-5 sigma and stays there until the end of the run or the next
   * shift (a deploy, a resize, a config change). Normal: only its first row is marked.
   */
  LEVEL_SHIFT("level-shift", 0, 1, 1),
  /** The value jumps 6-10 sigma above where it would be, for 1-3 steps. */
  SPIKE("spike", 1, 1, 3),
  /**
   * The value drops 5-8 sigma below where it would be, for 3-15 steps (a brief loss of traffic).
   */
  DIP("dip", 1, 3, 15),
  /** The value is frozen at the last value before the span (a dead exporter), for 30-120 steps. */
  STUCK("stuck", 1, 30, 120),
  /**
   * For 60-240 steps one of: the daily cycle disappears, the daily cycle inverts, or the noise
   * standard deviation is multiplied by 3-5 (its variance by 9-25).
   */
  PATTERN_CHANGE("pattern-change", 1, 60, 240);

  private final String id;
  private final int label;
  private final int minSteps;
  private final int maxSteps;

  UnivariateKind(String id, int label, int minSteps, int maxSteps) {
    this.id = id;
    this.label = label;
    this.minSteps = minSteps;
    this.maxSteps = maxSteps;
  }

  /**
   * The name written to files: {@code level-shift}, {@code spike}, {@code dip}, {@code stuck},
   * {@code pattern-change}.
   */
  public String id() {
    return id;
  }

  /** 1 for an anomaly, 0 for {@link #LEVEL_SHIFT}. */
  public int label() {
    return label;
  }

  public boolean isAnomaly() {
    return label == 1;
  }

  /** Shortest span of this kind, in steps. */
  public int minSteps() {
    return minSteps;
  }

  /** Longest span of this kind, in steps. */
  public int maxSteps() {
    return maxSteps;
  }

  /** Mean span length in steps (lengths are uniform in {@code [minSteps, maxSteps]}). */
  public double meanSteps() {
    return (minSteps + maxSteps) / 2.0;
  }

  /** The anomaly kinds, every kind but {@link #LEVEL_SHIFT}. */
  public static Set<UnivariateKind> anomalies() {
    return EnumSet.complementOf(EnumSet.of(LEVEL_SHIFT));
  }

  /** The kind whose {@link #id()} (or enum name) is {@code text}. */
  public static UnivariateKind fromId(String text) {
    for (UnivariateKind k : values()) {
      if (k.id.equals(text) || k.name().equals(text)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown kind '"
            + text
            + "', expected one of level-shift, spike, dip, stuck, pattern-change");
  }

  @Override
  public String toString() {
    return id;
  }
}
