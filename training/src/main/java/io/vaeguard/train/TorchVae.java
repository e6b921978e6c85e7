package io.vaeguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.vaeguard.model.Dense;
import io.vaeguard.model.VaeWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * A VAE's parameters as PyTorch tensors, laid out exactly like {@link Dense} ({@code W} is {@code
 * [in, out]}, {@code y = x W + b}), so weights go in and out without transposes.
 *
 * <p>Every op result lands in the manager of its left operand, so the forward pass always starts
 * from the batch array: intermediate tensors then belong to the caller's per-batch manager and die
 * with it, never with the long-lived parameter manager.
 *
 * <p>No {@code NDArray.mul(Number)} and the like on the autograd path: DJL 0.35.1 wraps the number
 * in a tensor over a Java direct buffer and closes it right after the op, while autograd keeps that
 * tensor for the backward pass; once the GC frees the buffer, backward reads freed memory (seen as
 * same-seed runs that differ only under GC pressure). {@link #constant} keeps scalars alive in the
 * batch's manager until the batch is done.
 */
final class TorchVae implements AutoCloseable {

  private final NDManager manager;
  private final int encoderLayers;
  private final int decoderLayers;
  private final int inputs;

  /** Order: encoder (W, b)..., mu (W, b), logvar (W, b), decoder (W, b)... */
  private final List<NDArray> params = new ArrayList<>();

  TorchVae(NDManager parent, VaeWeights w, boolean trainable) {
    manager = parent.newSubManager();
    encoderLayers = w.encoder().size();
    decoderLayers = w.decoder().size();
    inputs = w.inputDim();
    List<Dense> layers = new ArrayList<>(w.encoder());
    layers.add(w.mu());
    layers.add(w.logvar());
    layers.addAll(w.decoder());
    for (Dense d : layers) {
      params.add(manager.create(d.weights(), new Shape(d.in(), d.out())));
      params.add(manager.create(d.bias(), new Shape(d.out())));
    }
    if (trainable) {
      for (NDArray p : params) {
        p.setRequiresGradient(true);
      }
    }
  }

  List<NDArray> parameters() {
    return params;
  }

  /**
   * Forward pass: {@code [recon, mu, logvar]}. With {@code eps} the decoder gets the
   * reparameterised sample {@code mu + exp(logvar / 2) * eps}; without it, {@code mu}.
   */
  NDList forward(NDArray x, NDArray eps) {
    NDArray h = x;
    int p = 0;
    for (int i = 0; i < encoderLayers; i++, p += 2) {
      h = Activation.relu(affine(h, p));
    }
    NDArray mu = affine(h, p);
    NDArray logvar = affine(h, p + 2);
    p += 4;
    NDArray y = eps == null ? mu : mu.add(logvar.mul(constant(logvar, 0.5f)).exp().mul(eps));
    for (int i = 0; i < decoderLayers; i++, p += 2) {
      y = affine(y, p);
      if (i < decoderLayers - 1) {
        y = Activation.relu(y);
      }
    }
    return new NDList(y, mu, logvar);
  }

  private NDArray affine(NDArray x, int p) {
    return x.matMul(params.get(p)).add(params.get(p + 1));
  }

  /**
   * Per-row losses {@code [mse, kl]}, each of shape {@code [N]}: {@code mse = sum_i (x_i -
   * recon_i)^2 / D} and {@code kl = -0.5 sum_k (1 + logvar_k - mu_k^2 - exp(logvar_k))}. The
   * training loss is {@code mean(mse + beta * kl / D)}: dividing KL by D keeps beta's meaning
   * independent of the number of features.
   */
  NDList rowLosses(NDArray x, NDList out) {
    NDArray mse = x.sub(out.get(0)).square().sum(new int[] {1}).mul(constant(x, 1f / inputs));
    NDArray mu = out.get(1);
    NDArray logvar = out.get(2);
    NDArray kl =
        logvar
            .add(constant(logvar, 1f))
            .sub(mu.square())
            .sub(logvar.exp())
            .sum(new int[] {1})
            .mul(constant(logvar, -0.5f));
    return new NDList(mse, kl);
  }

  /** Mean of {@code mse + beta * kl / D} over the rows: the scalar the optimiser minimises. */
  NDArray loss(NDArray x, NDList out, double beta) {
    NDList parts = rowLosses(x, out);
    return parts.get(0).add(parts.get(1).mul(constant(x, (float) (beta / inputs)))).mean();
  }

  /**
   * The distillation loss: {@link #loss} against {@code target} instead of the input, plus {@code
   * muWeight * mean(mean_k (mu_k - muTarget_k)^2)} when {@code muTarget} is given.
   */
  NDArray loss(NDArray target, NDArray muTarget, NDList out, double beta, double muWeight) {
    NDArray l = loss(target, out, beta);
    if (muTarget == null) {
      return l;
    }
    NDArray mu = out.get(1);
    NDArray m = mu.sub(muTarget).square().mean(new int[] {1}).mean();
    return l.add(m.mul(constant(mu, (float) muWeight)));
  }

  /** A scalar owned by {@code like}'s manager, so it outlives the backward pass (see above). */
  private static NDArray constant(NDArray like, float value) {
    return like.getManager().create(value);
  }

  /** Copies the current parameters out into our row-major float format. */
  VaeWeights toWeights() {
    List<Dense> layers = new ArrayList<>();
    for (int p = 0; p < params.size(); p += 2) {
      long[] shape = params.get(p).getShape().getShape();
      layers.add(
          new Dense(
              (int) shape[0],
              (int) shape[1],
              params.get(p).toFloatArray(),
              params.get(p + 1).toFloatArray()));
    }
    List<Dense> enc = layers.subList(0, encoderLayers);
    List<Dense> dec = layers.subList(encoderLayers + 2, layers.size());
    return new VaeWeights(enc, layers.get(encoderLayers), layers.get(encoderLayers + 1), dec);
  }

  @Override
  public void close() {
    manager.close();
  }
}
