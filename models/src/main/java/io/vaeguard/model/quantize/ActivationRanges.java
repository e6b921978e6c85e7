package io.vaeguard.model.quantize;

import io.vaeguard.model.Dense;
import io.vaeguard.model.VaeWeights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The range of every dense layer's input over calibration rows: what static int8 quantization fixes
 * its activation scales from. Keys are the exporter's layer names ({@code enc0, enc1, ..., mu,
 * logvar, dec0, ...}).
 *
 * <p>The range is the {@code [quantile, 1 - quantile]} range of each layer's input values over all
 * rows and columns, widened to include 0 so that zero (ReLU's output for every inactive unit) is
 * exactly representable. Quantile 0 takes the minimum and maximum; a small quantile (such as 1e-4)
 * ignores a few outliers at the price of clipping them at run time.
 *
 * @param ranges layer name to {@code {low, high}}
 */
public record ActivationRanges(Map<String, float[]> ranges) {

  /** Largest uint8 value: activations are quantized to [0, 255] with a zero point. */
  private static final int QMAX = 255;

  public ActivationRanges {
    Map<String, float[]> copy = new LinkedHashMap<>();
    ranges.forEach(
        (k, v) -> {
          if (v.length != 2 || !(v[0] <= v[1]) || !Float.isFinite(v[0]) || !Float.isFinite(v[1])) {
            throw new IllegalArgumentException(
                "activation range of "
                    + k
                    + " must be finite {low <= high}, got "
                    + Arrays.toString(v));
          }
          copy.put(k, v.clone());
        });
    ranges = Map.copyOf(copy);
  }

  /**
   * Runs {@code rows} (normalised model inputs, each {@code w.inputDim()} wide) through the
   * reference forward pass and records each layer's input range.
   */
  public static ActivationRanges measure(VaeWeights w, float[][] rows, double quantile) {
    if (rows.length == 0) {
      throw new IllegalArgumentException(
          "static int8 quantization needs at least one calibration row");
    }
    if (!(quantile >= 0 && quantile < 0.5)) {
      throw new IllegalArgumentException("range quantile must be in [0, 0.5), got " + quantile);
    }
    Map<String, Collector> seen = new LinkedHashMap<>();
    for (float[] row : rows) {
      if (row.length != w.inputDim()) {
        throw new IllegalArgumentException(
            "calibration rows must have " + w.inputDim() + " values, got " + row.length);
      }
      double[] h = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        h[j] = row[j];
      }
      List<Dense> enc = w.encoder();
      for (int i = 0; i < enc.size(); i++) {
        seen.computeIfAbsent("enc" + i, k -> new Collector()).add(h);
        h = relu(enc.get(i).apply(h));
      }
      seen.computeIfAbsent("mu", k -> new Collector()).add(h);
      seen.computeIfAbsent("logvar", k -> new Collector()).add(h);
      double[] y = w.mu().apply(h);
      List<Dense> dec = w.decoder();
      for (int i = 0; i < dec.size(); i++) {
        seen.computeIfAbsent("dec" + i, k -> new Collector()).add(y);
        y = dec.get(i).apply(y);
        if (i < dec.size() - 1) {
          y = relu(y);
        }
      }
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    seen.forEach((k, c) -> out.put(k, c.range(quantile)));
    return new ActivationRanges(out);
  }

  /** The range of layer {@code layer}'s input. */
  public float[] range(String layer) {
    float[] r = ranges.get(Objects.requireNonNull(layer, "layer"));
    if (r == null) {
      throw new IllegalArgumentException(
          "no activation range for layer " + layer + " (have " + ranges.keySet() + ")");
    }
    return r.clone();
  }

  /** uint8 quantization of {@code layer}'s input: {@code x ~= (q - zeroPoint) * scale}. */
  public Uint8Params uint8(String layer) {
    float[] r = range(layer);
    double lo = Math.min(r[0], 0);
    double hi = Math.max(r[1], 0);
    double scale = (hi - lo) / QMAX;
    if (!(scale > 0)) {
      return new Uint8Params(1f, (byte) 0); // a constant-zero input: any scale represents it
    }
    long zp = Math.round(-lo / scale);
    zp = Math.max(0, Math.min(QMAX, zp));
    return new Uint8Params((float) scale, (byte) zp);
  }

  /** Scale and zero point (a uint8 held in a byte) of one quantized activation tensor. */
  public record Uint8Params(float scale, byte zeroPoint) {}

  private static double[] relu(double[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.max(0, v[i]);
    }
    return v;
  }

  /** Values of one layer's input, for its quantiles. */
  private static final class Collector {
    private float[] values = new float[1024];
    private int n;

    void add(double[] v) {
      if (n + v.length > values.length) {
        values = Arrays.copyOf(values, Math.max(values.length * 2, n + v.length));
      }
      for (double x : v) {
        values[n++] = (float) x;
      }
    }

    float[] range(double q) {
      float[] sorted = Arrays.copyOf(values, n);
      Arrays.sort(sorted);
      int lo = (int) Math.floor(q * (n - 1));
      int hi = (int) Math.ceil((1 - q) * (n - 1));
      return new float[] {sorted[lo], sorted[hi]};
    }
  }
}
