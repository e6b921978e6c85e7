package io.vaeguard.model.card;

import java.util.Arrays;

/**
 * Per-feature standardisation fitted on training rows: {@code (x - mean) / std}. A feature with no
 * spread in training gets std 1, so it is centred but not blown up.
 */
public record Scaler(double[] mean, double[] std) {

  public Scaler {
    if (mean.length != std.length) {
      throw new IllegalArgumentException(
          "scaler has " + mean.length + " means but " + std.length + " stds");
    }
    for (int i = 0; i < std.length; i++) {
      if (!(std[i] > 0) || !Double.isFinite(mean[i])) {
        throw new IllegalArgumentException(
            "scaler feature " + i + " needs a finite mean and std > 0");
      }
    }
  }

  /** Fits mean and (population) std per column of {@code rows}. */
  public static Scaler fit(double[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot fit a scaler on no rows");
    }
    int d = rows[0].length;
    double[] mean = new double[d];
    double[] std = new double[d];
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        double c = r[j] - mean[j];
        std[j] += c * c;
      }
    }
    for (int j = 0; j < d; j++) {
      double s = Math.sqrt(std[j] / rows.length);
      std[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1;
    }
    return new Scaler(mean, std);
  }

  public int size() {
    return mean.length;
  }

  public double apply(int feature, double value) {
    return (value - mean[feature]) / std[feature];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scaler s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }
}
