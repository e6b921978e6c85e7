package io.vaeguard.model.synth;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One entity's endless stream of readings. Its randomness comes from three generators seeded from
 * (seed, entity index) alone: the profile (levels, scales, phase), the clean signal, and the
 * anomalies. So an entity's stream does not depend on how calls to other entities interleave, and
 * the same seed with anomaly rate 0 gives exactly the clean signal underneath an anomalous run.
 */
final class EntityStream {

  private static final int D = Channel.count();

  private final String entityId;
  private final int index;
  private final long startMillis;
  private final long stepMillis;
  private final GeneratorConfig config;
  private final double startProbability;
  private final List<AnomalyKind> kinds;
  private final Random signalRng;
  private final Random anomalyRng;
  private final EntitySignal signal;

  private final double[] latentPart = new double[D];
  private final double[] noisePart = new double[D];
  private final double[] lastEmitted = new double[D];
  private long step;
  private ActiveAnomaly active;

  EntityStream(GeneratorConfig config, int index, String entityId) {
    this.config = config;
    this.index = index;
    this.entityId = entityId;
    this.startMillis = config.startMillis();
    this.stepMillis = config.stepMillis();
    this.startProbability = config.startProbability();
    this.kinds = List.copyOf(config.kinds());
    Random profileRng = new Random(seed(config.seed(), index, 0));
    this.signalRng = new Random(seed(config.seed(), index, 1));
    this.anomalyRng = new Random(seed(config.seed(), index, 2));
    this.signal = new EntitySignal(config.periodMillis(), profileRng, signalRng);
  }

  /**
   * The next reading; {@code onStart} hears of every anomaly when it starts, with its planned end.
   */
  Reading next(Consumer<AnomalySpan> onStart) {
    long eventTime = startMillis + step * stepMillis;
    signal.advance(eventTime, signalRng, latentPart, noisePart);
    double[] s = new double[D];
    for (int c = 0; c < D; c++) {
      s[c] = latentPart[c] + noisePart[c];
    }
    // never at step 0: a stuck channel needs a last value to repeat
    if (active == null
        && step > 0
        && startProbability > 0
        && anomalyRng.nextDouble() < startProbability) {
      active = ActiveAnomaly.draw(kinds.get(anomalyRng.nextInt(kinds.size())), config, anomalyRng);
      long end = eventTime + (active.steps() - 1) * stepMillis;
      onStart.accept(new AnomalySpan(entityId, eventTime, end, active.kind(), active.channels()));
    }
    AnomalyKind label = null;
    if (active != null) {
      label = active.kind();
      active.apply(s, noisePart, lastEmitted, signal);
      if (active.isOver()) {
        active = null;
      }
    }
    System.arraycopy(s, 0, lastEmitted, 0, D);
    double[] values = new double[D];
    for (int c = 0; c < D; c++) {
      values[c] = signal.toPhysical(c, s[c]);
    }
    return new Reading(entityId, index, step++, eventTime, values, label);
  }

  /**
   * SplitMix64's finaliser over (seed, entity, stream): neighbouring seeds give unrelated streams.
   */
  static long seed(long seed, int entity, int stream) {
    long z = seed + 0x9E3779B97F4A7C15L * (3L * entity + stream + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
