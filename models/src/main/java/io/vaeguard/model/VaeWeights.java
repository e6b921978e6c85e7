package io.vaeguard.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The weights of an MLP VAE. The encoder's hidden layers use ReLU; {@code mu} and {@code logvar}
 * are linear heads on the last encoder layer; the decoder maps {@code z} through hidden ReLU layers
 * to a linear output of the input's size. At scoring time {@code z = mu} (no sampling), so the
 * network is deterministic.
 */
public record VaeWeights(List<Dense> encoder, Dense mu, Dense logvar, List<Dense> decoder) {

  public VaeWeights {
    encoder = List.copyOf(encoder);
    decoder = List.copyOf(decoder);
    if (encoder.isEmpty() || decoder.isEmpty()) {
      throw new IllegalArgumentException("a VAE needs at least one encoder and one decoder layer");
    }
    int width = encoder.get(0).in();
    for (Dense d : encoder) {
      requireChain(width, d, "encoder");
      width = d.out();
    }
    requireChain(width, mu, "mu head");
    requireChain(width, logvar, "logvar head");
    if (mu.out() != logvar.out()) {
      throw new IllegalArgumentException(
          "mu has " + mu.out() + " outputs but logvar has " + logvar.out());
    }
    width = mu.out();
    for (Dense d : decoder) {
      requireChain(width, d, "decoder");
      width = d.out();
    }
    if (width != encoder.get(0).in()) {
      throw new IllegalArgumentException(
          "decoder ends with " + width + " outputs but the input has " + encoder.get(0).in());
    }
  }

  private static void requireChain(int width, Dense d, String where) {
    if (d.in() != width) {
      throw new IllegalArgumentException(
          where + " layer expects " + d.in() + " inputs but gets " + width);
    }
  }

  public int inputDim() {
    return encoder.get(0).in();
  }

  public int latentDim() {
    return mu.out();
  }

  /** Hidden widths of the encoder, e.g. [64, 32]; the decoder mirrors them. */
  public List<Integer> hidden() {
    List<Integer> h = new ArrayList<>();
    for (Dense d : encoder) {
      h.add(d.out());
    }
    return h;
  }

  /** Reference forward pass in double precision: {@code [recon, mu, logvar]} for one row. */
  public double[][] forward(double[] x) {
    double[] h = x;
    for (Dense d : encoder) {
      h = relu(d.apply(h));
    }
    double[] m = mu.apply(h);
    double[] lv = logvar.apply(h);
    double[] y = m;
    for (int i = 0; i < decoder.size(); i++) {
      y = decoder.get(i).apply(y);
      if (i < decoder.size() - 1) {
        y = relu(y);
      }
    }
    return new double[][] {y, m, lv};
  }

  private static double[] relu(double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0) {
        v[i] = 0;
      }
    }
    return v;
  }
}
