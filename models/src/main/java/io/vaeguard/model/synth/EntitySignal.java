package io.vaeguard.model.synth;

import java.util.Random;

/**
 * One entity's clean signal: its own levels, scales, daily amplitude and phase (drawn once from the
 * seed), and the latent factors. It works in standardised units (each channel has mean 0 and
 * variance 1 over a day) so that anomalies can be sized in sigma; {@link #toPhysical} maps back.
 *
 * <p>Per-entity differences are kept moderate (level within half a sigma of nominal, scale within
 * 15%) so a single global scaler fits all entities.
 */
final class EntitySignal {

  private static final int D = Channel.count();
  private static final Channel[] CHANNELS = Channel.values();

  private final double[] level = new double[D];
  private final double[] sigma = new double[D];
  private final double[] norm = new double[D];
  private final double[] latentStd = new double[D];
  private final LatentFactors factors;
  private final double[] z = new double[LatentFactors.COUNT];

  EntitySignal(long periodMillis, Random profileRng, Random signalRng) {
    double amplitude = 0.8 + 0.4 * profileRng.nextDouble();
    double phase = 2 * Math.PI * profileRng.nextDouble();
    for (int c = 0; c < D; c++) {
      Channel ch = CHANNELS[c];
      level[c] = ch.nominal() + 0.5 * ch.unitStd() * (2 * profileRng.nextDouble() - 1);
      sigma[c] = ch.unitStd() * (1 + 0.15 * (2 * profileRng.nextDouble() - 1));
    }
    factors = new LatentFactors(amplitude, phase, periodMillis, signalRng);
    for (int c = 0; c < D; c++) {
      double latentVar = 0;
      for (int k = 0; k < LatentFactors.COUNT; k++) {
        double w = CHANNELS[c].loading(k);
        latentVar += w * w * factors.variance(k);
      }
      double noise = CHANNELS[c].noise();
      norm[c] = Math.sqrt(latentVar + noise * noise);
      latentStd[c] = Math.sqrt(latentVar) / norm[c];
    }
  }

  /**
   * Advances one step. Writes each channel's factor-driven part and its own noise, both
   * standardised; the clean value is their sum. Always draws the same number of random numbers, so
   * the clean signal never depends on what anomalies do.
   */
  void advance(long eventTimeMillis, Random rng, double[] latentPart, double[] noisePart) {
    factors.advance(eventTimeMillis, rng, z);
    for (int c = 0; c < D; c++) {
      double lat = 0;
      for (int k = 0; k < LatentFactors.COUNT; k++) {
        lat += CHANNELS[c].loading(k) * z[k];
      }
      latentPart[c] = lat / norm[c];
      noisePart[c] = CHANNELS[c].noise() * rng.nextGaussian() / norm[c];
    }
  }

  /** Standard deviation of channel c's factor-driven part, in standardised units. */
  double latentStd(int c) {
    return latentStd[c];
  }

  double toPhysical(int c, double standardised) {
    return level[c] + sigma[c] * standardised;
  }
}
