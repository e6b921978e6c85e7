package io.vaeguard.model.synth;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One entity's endless univariate stream. In units of the entity's noise sigma the clean value is
 *
 * <pre>  daily(t) + weekly(t) + trend(t) + level(t) + noise(t)</pre>
 *
 * and the row's value is {@code base + scale * that}. The daily and weekly cycles run on event
 * time, the trend is linear in elapsed days, the level moves only at level shifts, and the noise is
 * AR(1) with unit variance. Anomalies edit the value of a step after the clean value is made, never
 * the state, so the clean signal after a span is as if the span had never happened.
 *
 * <p>Randomness comes from four generators seeded from (seed, entity index) alone: the profile, the
 * noise, the level shifts and the anomalies. So the same seed with anomaly rate 0 gives exactly the
 * values underneath an anomalous run, level shifts included, and an entity's stream does not depend
 * on how calls to other entities interleave.
 */
final class UnivariateStream {

  private static final double TAU = 2 * Math.PI;

  private final String entity;
  private final long startMillis;
  private final long stepMillis;
  private final double startProbability;
  private final double shiftProbability;
  private final List<UnivariateKind> kinds;
  private final Random noiseRng;
  private final Random shiftRng;
  private final Random anomalyRng;

  // profile
  private final double base;
  private final double scale;
  private final double dailyAmplitude;
  private final double dailyPhase;
  private final double secondHarmonic;
  private final double secondPhase;
  private final double weeklyAmplitude;
  private final double weeklyPhase;
  private final double slopePerDay;
  private final double noisePhi;

  private long step;
  private double noise;
  private double level;
  private long nextShiftStep;
  private long earliestAnomalyStep = 1; // never at step 0: a stuck value needs a value to repeat
  private double lastValue;
  private Active active;

  UnivariateStream(UnivariateConfig config, int index, String entity) {
    this.entity = entity;
    this.startMillis = config.startMillis();
    this.stepMillis = config.stepMillis();
    this.startProbability = config.anomalyStartProbability();
    this.shiftProbability = config.levelShiftProbability();
    this.kinds = List.copyOf(config.kinds());
    Random profile = new Random(seed(config.seed(), index, 0));
    this.noiseRng = new Random(seed(config.seed(), index, 1));
    this.shiftRng = new Random(seed(config.seed(), index, 2));
    this.anomalyRng = new Random(seed(config.seed(), index, 3));

    this.base = 20 + 60 * profile.nextDouble();
    this.scale = 0.5 + 2.5 * profile.nextDouble();
    this.dailyAmplitude = 3 + 3 * profile.nextDouble();
    this.dailyPhase = profile.nextDouble();
    this.secondHarmonic = 0.1 + 0.25 * profile.nextDouble();
    this.secondPhase = profile.nextDouble();
    this.weeklyAmplitude = 0.5 + profile.nextDouble();
    this.weeklyPhase = profile.nextDouble();
    this.slopePerDay = -0.2 + 0.4 * profile.nextDouble();
    this.noisePhi = 0.2 + 0.4 * profile.nextDouble();

    this.noise = noiseRng.nextGaussian();
    this.nextShiftStep = gap(shiftRng);
  }

  /** The noise sigma in the value's units: every effect is sized in it. */
  double scale() {
    return scale;
  }

  /**
   * The next row; {@code onSpan} hears of every anomaly (with its planned end) and level shift as
   * it starts.
   */
  UnivariateRow next(Consumer<UnivariateSpan> onSpan) {
    long t = startMillis + step * stepMillis;
    if (step > 0) {
      noise = noisePhi * noise + Math.sqrt(1 - noisePhi * noisePhi) * noiseRng.nextGaussian();
    }
    double daily = daily(t);
    double trend = slopePerDay * (t - startMillis) / UnivariateConfig.DAY_MILLIS;
    UnivariateKind kind = null;
    boolean shift = step == nextShiftStep;
    if (shift) {
      // mean-reverting: the further the level has gone up, the likelier the next shift goes down
      double up = 0.5 - 0.1 * Math.max(-4, Math.min(4, level));
      double size = 3 + 2 * shiftRng.nextDouble();
      level += shiftRng.nextDouble() < up ? size : -size;
      nextShiftStep = step + gap(shiftRng);
      kind = UnivariateKind.LEVEL_SHIFT;
      onSpan.accept(new UnivariateSpan(entity, t, t, kind));
    }
    double clean = daily + weekly(t) + trend + level + noise;

    if (active == null
        && !shift
        && step >= earliestAnomalyStep
        && startProbability > 0
        && anomalyRng.nextDouble() < startProbability) {
      Active a = Active.draw(kinds.get(anomalyRng.nextInt(kinds.size())), anomalyRng, lastValue);
      // a level shift never falls inside an anomaly: its row could not carry both kinds
      if (nextShiftStep > step + a.steps - 1) {
        active = a;
        onSpan.accept(new UnivariateSpan(entity, t, t + (a.steps - 1) * stepMillis, a.kind));
      }
    }
    double value;
    if (active != null) {
      kind = active.kind;
      value =
          active.kind == UnivariateKind.STUCK
              ? active.frozen
              : round(base + scale * active.apply(clean, daily, noise));
      if (++active.elapsed >= active.steps) {
        active = null;
        earliestAnomalyStep = step + 2;
      }
    } else {
      value = round(base + scale * clean);
    }
    lastValue = value;
    step++;
    return new UnivariateRow(t, entity, value, kind == null ? 0 : kind.label(), kind);
  }

  private double daily(long t) {
    double f = Math.floorMod(t, UnivariateConfig.DAY_MILLIS) / (double) UnivariateConfig.DAY_MILLIS;
    return dailyAmplitude
        * (Math.sin(TAU * (f + dailyPhase))
            + secondHarmonic * Math.sin(2 * TAU * (f + secondPhase)));
  }

  private double weekly(long t) {
    double f =
        Math.floorMod(t, UnivariateConfig.WEEK_MILLIS) / (double) UnivariateConfig.WEEK_MILLIS;
    return weeklyAmplitude * Math.sin(TAU * (f + weeklyPhase));
  }

  /** Steps to the next level shift, >= 1: geometric with the per-step shift probability. */
  private long gap(Random rng) {
    double u = rng.nextDouble();
    if (shiftProbability <= 0) {
      return Long.MAX_VALUE;
    }
    double g = Math.floor(Math.log1p(-u) / Math.log1p(-shiftProbability));
    return g >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : 1 + (long) g;
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /**
   * SplitMix64's finaliser over (seed, entity, stream): neighbouring seeds give unrelated streams.
   */
  static long seed(long seed, int entity, int stream) {
    long z = seed + 0x9E3779B97F4A7C15L * (5L * entity + stream + 1) + 0x5DEECE66DL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** An anomaly in progress. */
  private static final class Active {
    private enum Mode {
      NONE,
      CYCLE_OFF,
      CYCLE_INVERTED,
      NOISE
    }

    final UnivariateKind kind;
    final int steps;
    final double size;
    final Mode mode;
    final double frozen;
    final Random rng;
    int elapsed;

    private Active(
        UnivariateKind kind, int steps, double size, Mode mode, double frozen, Random rng) {
      this.kind = kind;
      this.steps = steps;
      this.size = size;
      this.mode = mode;
      this.frozen = frozen;
      this.rng = rng;
    }

    static Active draw(UnivariateKind kind, Random rng, double lastValue) {
      int steps = kind.minSteps() + rng.nextInt(kind.maxSteps() - kind.minSteps() + 1);
      double size = 0;
      Mode mode = Mode.NONE;
      switch (kind) {
        case SPIKE -> size = 6 + 4 * rng.nextDouble();
        case DIP -> size = 5 + 3 * rng.nextDouble();
        case PATTERN_CHANGE -> {
          mode = Mode.values()[1 + rng.nextInt(3)];
          size = mode == Mode.NOISE ? 3 + 2 * rng.nextDouble() : 0;
        }
        default -> {}
      }
      return new Active(kind, steps, size, mode, lastValue, rng);
    }

    /** This step's value in sigma units, from the clean value and its daily and noise parts. */
    double apply(double clean, double daily, double noise) {
      return switch (kind) {
        case SPIKE -> clean + size * (0.85 + 0.3 * rng.nextDouble());
        case DIP -> clean - size * (0.85 + 0.3 * rng.nextDouble());
        case PATTERN_CHANGE ->
            switch (mode) {
              case CYCLE_OFF -> clean - daily;
              case CYCLE_INVERTED -> clean - 2 * daily;
              case NOISE -> clean + (size - 1) * noise;
              case NONE -> clean;
            };
        default -> clean;
      };
    }
  }
}
