package io.vaeguard.model.synth;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link SyntheticGenerator} produces. Build one with {@link #builder()}; every setting has a
 * default, so {@code GeneratorConfig.builder().build()} gives clean data for 10 entities.
 *
 * <p><b>Anomaly rate.</b> {@code anomalyRate} is the expected long-run <i>fraction of anomalous
 * readings</i> per entity, not a start probability: the generator derives the per-step start
 * probability from it and from the mean span length of the enabled kinds ({@link
 * #startProbability()}), so changing the kinds or durations keeps the labelled fraction the same. 0
 * gives clean data.
 *
 * <p><b>Time.</b> The daily pattern has period {@code periodMillis} (24 h) in event time. With the
 * default 1 s step a day is 86,400 steps, so a short run sees only a slice of it; offline tools
 * that want whole days in a small file set {@code stepMillis} to a minute or so. The latent
 * factors' time constants are counted in steps, not millis.
 */
public final class GeneratorConfig {

  /** 2024-01-01T00:00:00Z: a fixed default, so that runs without a start time are reproducible. */
  public static final long DEFAULT_START_MILLIS = 1_704_067_200_000L;

  public static final long DAY_MILLIS = 86_400_000L;

  private final int entities;
  private final long stepMillis;
  private final long startMillis;
  private final long periodMillis;
  private final long seed;
  private final double anomalyRate;
  private final Set<AnomalyKind> kinds;
  private final int minAnomalySteps;
  private final int maxAnomalySteps;

  private GeneratorConfig(Builder b) {
    this.entities = b.entities;
    this.stepMillis = b.stepMillis;
    this.startMillis = b.startMillis;
    this.periodMillis = b.periodMillis;
    this.seed = b.seed;
    this.anomalyRate = b.anomalyRate;
    this.kinds = EnumSet.copyOf(b.kinds);
    this.minAnomalySteps = b.minAnomalySteps;
    this.maxAnomalySteps = b.maxAnomalySteps;
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
        .periodMillis(periodMillis)
        .seed(seed)
        .anomalyRate(anomalyRate)
        .kinds(kinds)
        .anomalySteps(minAnomalySteps, maxAnomalySteps);
  }

  public int entities() {
    return entities;
  }

  public long stepMillis() {
    return stepMillis;
  }

  public long startMillis() {
    return startMillis;
  }

  public long periodMillis() {
    return periodMillis;
  }

  public long seed() {
    return seed;
  }

  public double anomalyRate() {
    return anomalyRate;
  }

  /** Enabled kinds (a copy). A new anomaly picks one of them uniformly. */
  public Set<AnomalyKind> kinds() {
    return EnumSet.copyOf(kinds);
  }

  public int minAnomalySteps() {
    return minAnomalySteps;
  }

  public int maxAnomalySteps() {
    return maxAnomalySteps;
  }

  /** Mean span length in steps of {@code kind}; spikes are always 1-3 steps. */
  public double meanSteps(AnomalyKind kind) {
    return kind == AnomalyKind.SPIKE ? 2.0 : (minAnomalySteps + maxAnomalySteps) / 2.0;
  }

  /**
   * Probability that an anomaly starts at a step where the entity is normal. Normal runs are then
   * geometric with mean (1-p)/p steps and spans have mean length D, so the anomalous fraction is D
   * / (D + (1-p)/p); solving that for the configured rate r gives p = r / (D (1 - r) + r).
   */
  public double startProbability() {
    if (anomalyRate == 0) {
      return 0;
    }
    double meanSpan = kinds.stream().mapToDouble(this::meanSteps).average().orElseThrow();
    return anomalyRate / (meanSpan * (1 - anomalyRate) + anomalyRate);
  }

  @Override
  public String toString() {
    return "GeneratorConfig{entities="
        + entities
        + ", stepMillis="
        + stepMillis
        + ", startMillis="
        + startMillis
        + ", periodMillis="
        + periodMillis
        + ", seed="
        + seed
        + ", anomalyRate="
        + anomalyRate
        + ", kinds="
        + kinds
        + ", anomalySteps="
        + minAnomalySteps
        + ".."
        + maxAnomalySteps
        + "}";
  }

  /** Each setter checks its own value, so {@link #build()} never fails. */
  public static final class Builder {
    private int entities = 10;
    private long stepMillis = 1000;
    private long startMillis = DEFAULT_START_MILLIS;
    private long periodMillis = DAY_MILLIS;
    private long seed = 42;
    private double anomalyRate = 0;
    private Set<AnomalyKind> kinds = EnumSet.allOf(AnomalyKind.class);
    private int minAnomalySteps = 5;
    private int maxAnomalySteps = 60;

    private Builder() {}

    public Builder entities(int entities) {
      if (entities < 1) {
        throw new IllegalArgumentException("entities must be >= 1, got " + entities);
      }
      this.entities = entities;
      return this;
    }

    public Builder stepMillis(long stepMillis) {
      if (stepMillis < 1) {
        throw new IllegalArgumentException("stepMillis must be >= 1, got " + stepMillis);
      }
      this.stepMillis = stepMillis;
      return this;
    }

    public Builder startMillis(long startMillis) {
      this.startMillis = startMillis;
      return this;
    }

    /** Period of the daily pattern in event time; 24 h unless a test wants a faster cycle. */
    public Builder periodMillis(long periodMillis) {
      if (periodMillis < 1) {
        throw new IllegalArgumentException("periodMillis must be >= 1, got " + periodMillis);
      }
      this.periodMillis = periodMillis;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Expected fraction of anomalous readings, in [0, 0.5]; 0 for clean data. */
    public Builder anomalyRate(double anomalyRate) {
      if (!(anomalyRate >= 0 && anomalyRate <= 0.5)) {
        throw new IllegalArgumentException(
            "anomalyRate is a fraction of readings in [0, 0.5], got " + anomalyRate);
      }
      this.anomalyRate = anomalyRate;
      return this;
    }

    public Builder kinds(Collection<AnomalyKind> kinds) {
      Objects.requireNonNull(kinds, "kinds");
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException(
            "enable at least one anomaly kind; use anomalyRate(0) for clean data");
      }
      this.kinds = EnumSet.copyOf(kinds);
      return this;
    }

    public Builder kinds(AnomalyKind first, AnomalyKind... rest) {
      return kinds(EnumSet.of(first, rest));
    }

    /** Span length range in steps for every kind but {@link AnomalyKind#SPIKE} (1-3 steps). */
    public Builder anomalySteps(int min, int max) {
      if (min < 1 || max < min) {
        throw new IllegalArgumentException(
            "anomaly steps need 1 <= min <= max, got " + min + ".." + max);
      }
      this.minAnomalySteps = min;
      this.maxAnomalySteps = max;
      return this;
    }

    public GeneratorConfig build() {
      return new GeneratorConfig(this);
    }
  }
}
