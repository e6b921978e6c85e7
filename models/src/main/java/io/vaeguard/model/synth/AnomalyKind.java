package io.vaeguard.model.synth;

/** The kinds of anomaly the generator injects. All effects are sized in the entity's own sigma. */
public enum AnomalyKind {
  /** One or two channels jump by 5-8 sigma for 1-3 steps. */
  SPIKE,
  /** One channel is offset by 3-5 sigma for the whole span. */
  LEVEL_SHIFT,
  /** One channel ramps away linearly, reaching 4-8 sigma at the end of the span. */
  DRIFT,
  /**
   * One channel repeats its last value for the whole span while the other channels, and the daily
   * pattern, go on moving.
   */
  STUCK,
  /**
   * One coupled channel ({@link Channel#isCoupled()}) stops following its latent factor and follows
   * an independent signal with the same marginal distribution instead.
   */
  CORRELATION_BREAK
}
