package io.vaeguard.model.synth;

import java.util.Random;

/**
 * The three shared factors behind one entity's channels. Each is a daily sine in event time plus a
 * stationary AR(1) process with unit variance; channels mix them ({@link Channel}'s loadings),
 * which is what makes channels correlated.
 */
final class LatentFactors {

  static final int LOAD = 0;
  static final int AMBIENT = 1;
  static final int SUPPLY = 2;
  static final int COUNT = 3;

  // Per factor: weight of the daily sine, its phase lag (ambient peaks in the afternoon, after
  // load),
  // weight and AR coefficient of the slow random part. AR coefficients close to 1 give the slow
  // wandering that real plant signals have; their time constants are 1/(1-phi) steps.
  private static final double[] DAILY_WEIGHT = {0.6, 0.8, 0.2};
  private static final double[] DAILY_LAG = {0.0, Math.PI / 6, 0.0};
  private static final double[] AR_WEIGHT = {0.8, 0.6, 0.95};
  private static final double[] AR_PHI = {0.99, 0.995, 0.9};

  private final double amplitude;
  private final double phase;
  private final long periodMillis;
  private final double[] ar = new double[COUNT];

  /** Starts every AR process in its stationary distribution, so there is no burn-in transient. */
  LatentFactors(double amplitude, double phase, long periodMillis, Random rng) {
    this.amplitude = amplitude;
    this.phase = phase;
    this.periodMillis = periodMillis;
    for (int k = 0; k < COUNT; k++) {
      ar[k] = rng.nextGaussian();
    }
  }

  /** Advances the AR parts one step and writes the factors at {@code eventTimeMillis} into z. */
  void advance(long eventTimeMillis, Random rng, double[] z) {
    // floorMod keeps the angle small, so precision does not decay with epoch-scale times
    double angle =
        2 * Math.PI * Math.floorMod(eventTimeMillis, periodMillis) / periodMillis + phase;
    for (int k = 0; k < COUNT; k++) {
      ar[k] = AR_PHI[k] * ar[k] + Math.sqrt(1 - AR_PHI[k] * AR_PHI[k]) * rng.nextGaussian();
      z[k] = DAILY_WEIGHT[k] * amplitude * Math.sin(angle - DAILY_LAG[k]) + AR_WEIGHT[k] * ar[k];
    }
  }

  /** Variance of factor k over a whole day (sine variance is amplitude^2 / 2). */
  double variance(int k) {
    double d = DAILY_WEIGHT[k] * amplitude;
    return d * d / 2 + AR_WEIGHT[k] * AR_WEIGHT[k];
  }

  /** A stationary AR(1) step with the LOAD factor's memory, for signals that imitate a factor. */
  static double imitate(double previous, Random rng) {
    double phi = AR_PHI[LOAD];
    return phi * previous + Math.sqrt(1 - phi * phi) * rng.nextGaussian();
  }
}
