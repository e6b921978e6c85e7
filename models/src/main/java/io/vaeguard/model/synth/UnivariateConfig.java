package io.vaeguard.model.synth;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link UnivariateGenerator} produces: one metric per entity (think CPU, latency, request
 * count), one value per step. {@code UnivariateConfig.builder().build()} gives 10 entities, one
 * value a minute (a day is 1440 steps), 1% anomalous rows and a level shift every 3 days or so.
 *
 * @param entities number of entities, >= 1
 * @param stepMillis event time between two values of an entity, >= 1
 * @param startMillis event time of step 0 (the daily and weekly cycles run on event time)
 * @param seed random seed; same config, same values
 * @param anomalyRate expected long-run fraction of rows inside anomaly spans, in [0, 0.5]; 0 for
 *     data to train on
 * @param levelShiftsPerDay expected level shifts per entity per day of event time, >= 0 (normal
 *     behaviour, so training data has them too)
 * @param kinds enabled anomaly kinds (not {@link UnivariateKind#LEVEL_SHIFT}); a new anomaly picks
 *     one uniformly
 */
public record UnivariateConfig(
    int entities,
    long stepMillis,
    long startMillis,
    long seed,
    double anomalyRate,
    double levelShiftsPerDay,
    Set<UnivariateKind> kinds) {

  public static final long DAY_MILLIS = 86_400_000L;
  public static final long WEEK_MILLIS = 7 * DAY_MILLIS;

  /** 2024-01-01T00:00:00Z, a Monday. */
  public static final long DEFAULT_START_MILLIS = 1_704_067_200_000L;

  public static final double DEFAULT_ANOMALY_RATE = 0.01;
  public static final double DEFAULT_LEVEL_SHIFTS_PER_DAY = 1.0 / 3;

  public UnivariateConfig {
    if (entities < 1) {
      throw new IllegalArgumentException("entities must be >= 1, got " + entities);
    }
    if (stepMillis < 1) {
      throw new IllegalArgumentException("stepMillis must be >= 1, got " + stepMillis);
    }
    if (!(anomalyRate >= 0 && anomalyRate <= 0.5)) {
      throw new IllegalArgumentException(
          "anomalyRate is a fraction of rows in [0, 0.5], got " + anomalyRate);
    }
    if (!(levelShiftsPerDay >= 0 && Double.isFinite(levelShiftsPerDay))) {
      throw new IllegalArgumentException(
          "levelShiftsPerDay must be >= 0, got " + levelShiftsPerDay);
    }
    Objects.requireNonNull(kinds, "kinds");
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException(
          "enable at least one anomaly kind; use anomalyRate 0 for clean data");
    }
    if (kinds.contains(UnivariateKind.LEVEL_SHIFT)) {
      throw new IllegalArgumentException(
          "level-shift is normal behaviour, not an anomaly kind; set levelShiftsPerDay");
    }
    kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    double p = levelShiftsPerDay * stepMillis / DAY_MILLIS;
    if (p > 0.5) {
      throw new IllegalArgumentException(
          "levelShiftsPerDay "
              + levelShiftsPerDay
              + " with "
              + stepMillis
              + " ms steps is more than one shift every two steps");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change a setting or two. */
  public Builder toBuilder() {
    return new Builder()
        .entities(entities)
        .stepMillis(stepMillis)
        .startMillis(startMillis)
        .seed(seed)
        .anomalyRate(anomalyRate)
        .levelShiftsPerDay(levelShiftsPerDay)
        .kinds(kinds);
  }

  /** Steps in one day of event time (1440 with one-minute steps). */
  public double stepsPerDay() {
    return (double) DAY_MILLIS / stepMillis;
  }

  /** Probability that a level shift happens at a given step. */
  public double levelShiftProbability() {
    return levelShiftsPerDay * stepMillis / DAY_MILLIS;
  }

  /** Mean anomaly span length in steps over the enabled kinds. */
  public double meanAnomalySteps() {
    return kinds.stream().mapToDouble(UnivariateKind::meanSteps).average().orElseThrow();
  }

  /**
   * Probability that an anomaly starts at a step where one may start. After a span the next step is
   * always normal, then a start happens with probability p at each step, so normal runs between
   * spans have mean length 1/p; with spans of mean length D the anomalous fraction is D / (D +
   * 1/p), and solving that for the configured rate r gives p = r / (D (1 - r)).
   *
   * <p>A level shift never falls inside an anomaly, so a drawn anomaly of L steps is dropped when a
   * shift comes within it, which happens with probability 1 - (1 - q)^(L-1) for a per-step shift
   * probability q. Counting only the spans kept, D becomes E[L (1 - q)^(L-1)] over the enabled
   * kinds and their lengths, and p = r / ((1 - r) E[L (1 - q)^(L-1)]); with q = 0 that is the
   * formula above.
   */
  public double anomalyStartProbability() {
    if (anomalyRate == 0) {
      return 0;
    }
    double keep = 1 - levelShiftProbability();
    double weight = 0;
    for (UnivariateKind k : kinds) {
      double sum = 0;
      for (int len = k.minSteps(); len <= k.maxSteps(); len++) {
        sum += len * Math.pow(keep, len - 1);
      }
      weight += sum / (k.maxSteps() - k.minSteps() + 1);
    }
    weight /= kinds.size();
    return Math.min(1, anomalyRate / ((1 - anomalyRate) * weight));
  }

  /**
   * Builder with the defaults of {@link UnivariateConfig}; the record's constructor checks the
   * values.
   */
  public static final class Builder {
    private int entities = 10;
    private long stepMillis = 60_000;
    private long startMillis = DEFAULT_START_MILLIS;
    private long seed = 42;
    private double anomalyRate = DEFAULT_ANOMALY_RATE;
    private double levelShiftsPerDay = DEFAULT_LEVEL_SHIFTS_PER_DAY;
    private Set<UnivariateKind> kinds = UnivariateKind.anomalies();

    private Builder() {}

    public Builder entities(int entities) {
      this.entities = entities;
      return this;
    }

    public Builder stepMillis(long stepMillis) {
      this.stepMillis = stepMillis;
      return this;
    }

    public Builder startMillis(long startMillis) {
      this.startMillis = startMillis;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder anomalyRate(double anomalyRate) {
      this.anomalyRate = anomalyRate;
      return this;
    }

    public Builder levelShiftsPerDay(double levelShiftsPerDay) {
      this.levelShiftsPerDay = levelShiftsPerDay;
      return this;
    }

    public Builder kinds(Collection<UnivariateKind> kinds) {
      Objects.requireNonNull(kinds, "kinds");
      this.kinds = kinds.isEmpty() ? EnumSet.noneOf(UnivariateKind.class) : EnumSet.copyOf(kinds);
      return this;
    }

    public Builder kinds(UnivariateKind first, UnivariateKind... rest) {
      return kinds(EnumSet.of(first, rest));
    }

    public UnivariateConfig build() {
      return new UnivariateConfig(
          entities, stepMillis, startMillis, seed, anomalyRate, levelShiftsPerDay, kinds);
    }
  }
}
