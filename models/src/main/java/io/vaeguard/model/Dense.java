package io.vaeguard.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One fully connected layer, {@code y = x W + b}, as trained and as exported.
 *
 * @param in number of inputs
 * @param out number of outputs
 * @param weights row-major {@code [in][out]}: {@code weights[i * out + j]} links input i to output
 *     j
 * @param bias {@code [out]}
 */
public record Dense(int in, int out, float[] weights, float[] bias) {

  public Dense {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("layer sizes must be positive, got " + in + "x" + out);
    }
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(bias, "bias");
    if (weights.length != in * out) {
      throw new IllegalArgumentException(
          "weights of a "
              + in
              + "x"
              + out
              + " layer need "
              + in * out
              + " values, got "
              + weights.length);
    }
    if (bias.length != out) {
      throw new IllegalArgumentException(
          "bias of a layer with " + out + " outputs has " + bias.length + " values");
    }
  }

  public float weight(int i, int j) {
    return weights[i * out + j];
  }

  /** {@code x W + b} for one row, in double precision (a reference, not a hot path). */
  public double[] apply(double[] x) {
    if (x.length != in) {
      throw new IllegalArgumentException("layer expects " + in + " inputs, got " + x.length);
    }
    double[] y = new double[out];
    for (int j = 0; j < out; j++) {
      y[j] = bias[j];
    }
    for (int i = 0; i < in; i++) {
      double xi = x[i];
      int base = i * out;
      for (int j = 0; j < out; j++) {
        y[j] += xi * weights[base + j];
      }
    }
    return y;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dense d
        && in == d.in
        && out == d.out
        && Arrays.equals(weights, d.weights)
        && Arrays.equals(bias, d.bias);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Integer.hashCode(in) + Integer.hashCode(out)) + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "Dense[" + in + "x" + out + "]";
  }
}
