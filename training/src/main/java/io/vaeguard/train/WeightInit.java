package io.vaeguard.train;

import io.vaeguard.model.Dense;
import io.vaeguard.model.VaeWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Initial weights drawn from a {@link Random}, so the same seed gives the same start on every
 * machine and engine version. Layers followed by ReLU get He-uniform weights (keeps activations'
 * variance through ReLU); the linear heads and the output layer get Xavier-uniform; biases are 0.
 */
final class WeightInit {

  private WeightInit() {}

  static VaeWeights draw(int inputs, List<Integer> hidden, int latent, Random rnd) {
    List<Dense> encoder = new ArrayList<>();
    int width = inputs;
    for (int h : hidden) {
      encoder.add(heUniform(width, h, rnd));
      width = h;
    }
    Dense mu = xavierUniform(width, latent, rnd);
    Dense logvar = xavierUniform(width, latent, rnd);
    List<Dense> decoder = new ArrayList<>();
    width = latent;
    for (int i = hidden.size() - 1; i >= 0; i--) {
      decoder.add(heUniform(width, hidden.get(i), rnd));
      width = hidden.get(i);
    }
    decoder.add(xavierUniform(width, inputs, rnd));
    return new VaeWeights(encoder, mu, logvar, decoder);
  }

  private static Dense heUniform(int in, int out, Random rnd) {
    return uniform(in, out, Math.sqrt(6.0 / in), rnd);
  }

  private static Dense xavierUniform(int in, int out, Random rnd) {
    return uniform(in, out, Math.sqrt(6.0 / (in + out)), rnd);
  }

  private static Dense uniform(int in, int out, double limit, Random rnd) {
    float[] w = new float[in * out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
    }
    return new Dense(in, out, w, new float[out]);
  }
}
