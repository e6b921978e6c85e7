package io.vaeguard.model.compress;

import io.vaeguard.model.Dense;
import io.vaeguard.model.VaeWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Structured pruning: removes whole hidden units, so the pruned network is a smaller dense network
 * (fewer multiply-adds for every row), not a sparse one that ONNX Runtime would still compute in
 * full.
 *
 * <p>A hidden unit's importance is the L2 norm of its incoming weights (its column in the layer
 * that computes it, bias included) and its outgoing weights (its row in every layer that reads it:
 * the next hidden layer, or the mu and logvar heads after the last encoder layer). Each hidden
 * layer of the encoder and of the decoder keeps its {@code round((1 - fraction) * width)} most
 * important units (at least one), in their original order; the input, the latent and the output
 * keep their size. Layers are pruned one after another, so a layer's norms see the rows its
 * predecessor already lost.
 */
public final class Pruning {

  private Pruning() {}

  /** Units kept in a layer of {@code width} units when {@code fraction} of them are removed. */
  public static int kept(int width, double fraction) {
    checkFraction(fraction);
    return Math.max(1, (int) Math.round(width * (1 - fraction)));
  }

  /** {@code w} with {@code fraction} (in [0, 1)) of every hidden layer's units removed. */
  public static VaeWeights prune(VaeWeights w, double fraction) {
    checkFraction(fraction);
    List<Dense> enc = new ArrayList<>(w.encoder());
    Dense mu = w.mu();
    Dense logvar = w.logvar();
    List<Dense> dec = new ArrayList<>(w.decoder());
    for (int i = 0; i < enc.size(); i++) {
      boolean last = i == enc.size() - 1;
      List<Dense> readers = last ? List.of(mu, logvar) : List.of(enc.get(i + 1));
      int[] keep = mostImportant(enc.get(i), readers, kept(enc.get(i).out(), fraction));
      enc.set(i, columns(enc.get(i), keep));
      if (last) {
        mu = rows(mu, keep);
        logvar = rows(logvar, keep);
      } else {
        enc.set(i + 1, rows(enc.get(i + 1), keep));
      }
    }
    for (int i = 0; i < dec.size() - 1; i++) {
      int[] keep =
          mostImportant(dec.get(i), List.of(dec.get(i + 1)), kept(dec.get(i).out(), fraction));
      dec.set(i, columns(dec.get(i), keep));
      dec.set(i + 1, rows(dec.get(i + 1), keep));
    }
    return new VaeWeights(enc, mu, logvar, dec);
  }

  /**
   * Importance of each output unit of {@code layer}: the L2 norm of its incoming weights and bias
   * and of its outgoing weights in {@code readers}.
   */
  public static double[] unitNorms(Dense layer, List<Dense> readers) {
    int units = layer.out();
    double[] sq = new double[units];
    for (int i = 0; i < layer.in(); i++) {
      for (int j = 0; j < units; j++) {
        double v = layer.weight(i, j);
        sq[j] += v * v;
      }
    }
    for (int j = 0; j < units; j++) {
      sq[j] += (double) layer.bias()[j] * layer.bias()[j];
    }
    for (Dense r : readers) {
      if (r.in() != units) {
        throw new IllegalArgumentException(
            "reader " + r + " does not read the " + units + " units of " + layer);
      }
      for (int j = 0; j < units; j++) {
        for (int k = 0; k < r.out(); k++) {
          double v = r.weight(j, k);
          sq[j] += v * v;
        }
      }
    }
    for (int j = 0; j < units; j++) {
      sq[j] = Math.sqrt(sq[j]);
    }
    return sq;
  }

  /**
   * Indices of the {@code keep} units with the largest norms, ascending (ties: the lower index).
   */
  private static int[] mostImportant(Dense layer, List<Dense> readers, int keep) {
    double[] norms = unitNorms(layer, readers);
    Integer[] order = new Integer[norms.length];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
    }
    Arrays.sort(
        order,
        (a, b) ->
            norms[a] != norms[b] ? Double.compare(norms[b], norms[a]) : Integer.compare(a, b));
    int[] idx = new int[keep];
    for (int k = 0; k < keep; k++) {
      idx[k] = order[k];
    }
    Arrays.sort(idx);
    return idx;
  }

  /** The layer with only the output columns {@code keep}. */
  static Dense columns(Dense d, int[] keep) {
    float[] w = new float[d.in() * keep.length];
    float[] b = new float[keep.length];
    for (int k = 0; k < keep.length; k++) {
      b[k] = d.bias()[keep[k]];
      for (int i = 0; i < d.in(); i++) {
        w[i * keep.length + k] = d.weight(i, keep[k]);
      }
    }
    return new Dense(d.in(), keep.length, w, b);
  }

  /** The layer with only the input rows {@code keep}. */
  static Dense rows(Dense d, int[] keep) {
    float[] w = new float[keep.length * d.out()];
    for (int k = 0; k < keep.length; k++) {
      System.arraycopy(d.weights(), keep[k] * d.out(), w, k * d.out(), d.out());
    }
    return new Dense(keep.length, d.out(), w, d.bias().clone());
  }

  private static void checkFraction(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("pruning fraction must be in [0, 1), got " + fraction);
    }
  }
}
