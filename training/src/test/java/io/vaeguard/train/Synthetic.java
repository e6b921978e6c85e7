package io.vaeguard.train;

import java.util.Random;

/**
 * Test data: 8 standardised features driven by 2 latent factors plus small noise, so a VAE with a
 * small latent can reconstruct them and rows that break the structure stand out.
 */
final class Synthetic {

  static final int FEATURES = 8;
  private static final double NOISE = 0.1;

  private final double[][] loadings = new double[FEATURES][2];
  private final Random rnd;

  Synthetic(long seed) {
    rnd = new Random(seed);
    for (double[] l : loadings) {
      l[0] = rnd.nextGaussian();
      l[1] = rnd.nextGaussian();
    }
  }

  /** Rows from the low-rank model, scaled so every feature has variance about 1. */
  float[][] normal(int n) {
    float[][] rows = new float[n][FEATURES];
    for (float[] row : rows) {
      double a = rnd.nextGaussian();
      double b = rnd.nextGaussian();
      for (int j = 0; j < FEATURES; j++) {
        double signal = loadings[j][0] * a + loadings[j][1] * b + 0.3 * Math.tanh(a * b);
        double scale =
            Math.sqrt(loadings[j][0] * loadings[j][0] + loadings[j][1] * loadings[j][1] + 0.03);
        row[j] = (float) (signal / scale + NOISE * rnd.nextGaussian());
      }
    }
    return rows;
  }

  /** Independent N(0, 1) features: nothing to learn, so validation loss plateaus early. */
  float[][] noise(int n) {
    float[][] rows = new float[n][FEATURES];
    for (float[] row : rows) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = (float) rnd.nextGaussian();
      }
    }
    return rows;
  }

  /** Copies of {@code rows} with one feature shifted by {@code sigmas}. */
  static float[][] shifted(float[][] rows, int feature, float sigmas) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
      out[i][feature] += sigmas;
    }
    return out;
  }

  /** Copies of {@code rows} whose {@code feature} is replaced by independent N(0, 1) noise. */
  float[][] decorrelated(float[][] rows, int feature) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
      out[i][feature] = (float) rnd.nextGaussian();
    }
    return out;
  }
}
