package io.vaeguard.model;

import io.vaeguard.model.calibration.Calibration;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import io.vaeguard.model.export.VaeOnnxExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small models and cards for tests; each call builds fresh objects, nothing is shared. */
public final class TestModels {

  private TestModels() {}

  /** A VAE with He-like random weights: encoder {@code d -> hidden... -> k}, decoder mirrored. */
  public static VaeWeights randomWeights(long seed, int d, int k, int... hidden) {
    Random rnd = new Random(seed);
    List<Dense> enc = new ArrayList<>();
    int width = d;
    for (int h : hidden) {
      enc.add(randomDense(rnd, width, h));
      width = h;
    }
    Dense mu = randomDense(rnd, width, k);
    Dense logvar = randomDense(rnd, width, k);
    List<Dense> dec = new ArrayList<>();
    width = k;
    for (int i = hidden.length - 1; i >= 0; i--) {
      dec.add(randomDense(rnd, width, hidden[i]));
      width = hidden[i];
    }
    dec.add(randomDense(rnd, width, d));
    return new VaeWeights(enc, mu, logvar, dec);
  }

  public static Dense randomDense(Random rnd, int in, int out) {
    float[] w = new float[in * out];
    float[] b = new float[out];
    double s = Math.sqrt(2.0 / in);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() * s);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) (rnd.nextGaussian() * 0.1);
    }
    return new Dense(in, out, w, b);
  }

  /** Feature names f0..f(n-1). */
  public static List<String> features(int n) {
    List<String> f = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      f.add("f" + i);
    }
    return f;
  }

  public static Scaler identityScaler(int features) {
    double[] mean = new double[features];
    double[] std = new double[features];
    Arrays.fill(std, 1);
    return new Scaler(mean, std);
  }

  /**
   * A calibration that maps raw scores 0..1 linearly below its tail (quantiles of 0, 0.01, ..., 1).
   */
  public static Calibration linearCalibration() {
    double[] s = new double[101];
    for (int i = 0; i < s.length; i++) {
      s[i] = i / 100.0;
    }
    return Calibration.fit(s);
  }

  public static ModelCard card(
      Precision p, List<String> features, int window, int latent, Scaler scaler, double klWeight) {
    return new ModelCard(
        "test-vae",
        "1",
        "2026-01-01T00:00:00Z",
        ModelCard.ONNX_FILE,
        p.id(),
        features,
        window,
        List.of(),
        latent,
        scaler,
        klWeight,
        linearCalibration(),
        0.9,
        "test",
        1,
        null,
        null,
        null);
  }

  /** Writes {@code dir/model.onnx} and {@code dir/model.json}; returns {@code dir}. */
  public static Path writeModel(Path dir, VaeWeights w, Precision p, ModelCard card) {
    VaeOnnxExporter.writeModelDir(w, p, card, dir);
    return dir;
  }

  /** Seeded N(0, 1) rows, row-major. */
  public static float[] gaussianRows(long seed, int n, int d) {
    Random rnd = new Random(seed);
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }
}
