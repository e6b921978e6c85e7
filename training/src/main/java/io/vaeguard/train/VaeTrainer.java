package io.vaeguard.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.vaeguard.model.VaeWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains MLP VAEs with DJL's PyTorch engine, on raw parameter tensors and DJL's Adam.
 *
 * <p>Deterministic: initial weights, the shuffle and the reparameterisation noise all come from one
 * {@code java.util.Random(seed)}, drawn in a fixed order, and PyTorch's CPU kernels give the same
 * result for the same inputs and thread count. So the same rows, config and thread count give
 * bit-identical weights.
 */
public final class VaeTrainer {

  /**
   * A validation loss must beat the best so far by this share to count as progress, so that a
   * plateau with tiny float wiggles still ends by early stopping.
   */
  static final double MIN_RELATIVE_IMPROVEMENT = 1e-4;

  private VaeTrainer() {}

  public static TrainResult train(float[][] rows, TrainConfig cfg) {
    return train(rows, cfg, TrainListener.NONE);
  }

  /**
   * Trains on {@code rows} (already standardised, each row D wide) and returns the weights of the
   * best validation epoch.
   *
   * @throws IllegalArgumentException for ragged or non-finite rows, or too few rows for the split
   * @throws IllegalStateException if the loss turns non-finite (learning rate too high)
   */
  public static TrainResult train(float[][] rows, TrainConfig cfg, TrainListener listener) {
    return train(rows, null, cfg, listener);
  }

  /**
   * As {@link #train(float[][], TrainConfig, TrainListener)}, but the network learns to output
   * {@code targets} (for distillation: a teacher's outputs on {@code rows}) instead of the rows
   * themselves; null targets: the rows. With {@link TrainConfig#initialWeights()} it starts from
   * those weights (fine-tuning) instead of a random draw; the random stream then only shuffles and
   * samples.
   */
  public static TrainResult train(
      float[][] rows, TrainTargets targets, TrainConfig cfg, TrainListener listener) {
    RowSplit data = RowSplit.of(rows, targets, cfg.validationFraction());
    Random rnd = new Random(cfg.seed());
    VaeWeights init = cfg.initialWeights().orElse(null);
    if (init == null) {
      init = WeightInit.draw(data.width, cfg.hidden(), cfg.latent(), rnd);
    } else if (init.inputDim() != data.width) {
      throw new IllegalArgumentException(
          "initial weights take " + init.inputDim() + " inputs but the rows have " + data.width);
    }
    if (targets != null && targets.hasMu() && targets.mu()[0].length != init.latentDim()) {
      throw new IllegalArgumentException(
          "mu targets are "
              + targets.mu()[0].length
              + " wide but the latent size is "
              + init.latentDim()
              + "; match the latent size or set the mu weight to 0");
    }
    VaeWeights start = init;
    double muWeight = targets == null ? 0 : targets.muWeight();
    return TorchRuntime.withThreads(
        cfg.effectiveThreads(), () -> new Run(data, cfg, listener, rnd, muWeight).run(start));
  }

  /**
   * The network's forward pass with {@code z = mu}, run by PyTorch: the reference that exported
   * models are compared against.
   */
  public static VaeOutputs forward(VaeWeights w, float[][] rows) {
    if (rows.length == 0) {
      return new VaeOutputs(new float[0][], new float[0][], new float[0][]);
    }
    int width = RowSplit.checkedWidth(rows);
    if (width != w.inputDim()) {
      throw new IllegalArgumentException(
          "model expects " + w.inputDim() + " features, rows have " + width);
    }
    return TorchRuntime.withThreads(
        TrainConfig.defaultThreads(),
        () -> {
          try (NDManager root = TorchRuntime.engine().newBaseManager(Device.cpu());
              TorchVae net = new TorchVae(root, w, false)) {
            NDArray x = root.create(RowSplit.flatten(rows, width), new Shape(rows.length, width));
            NDList out = net.forward(x, null);
            int k = w.latentDim();
            return new VaeOutputs(
                RowSplit.unflatten(out.get(0).toFloatArray(), rows.length, width),
                RowSplit.unflatten(out.get(1).toFloatArray(), rows.length, k),
                RowSplit.unflatten(out.get(2).toFloatArray(), rows.length, k));
          }
        });
  }

  /** State of one training run; lives on the calling thread only. */
  private static final class Run {
    private final RowSplit data;
    private final TrainConfig cfg;
    private final TrainListener listener;
    private final Random rnd;
    private final double muWeight;
    private final Engine engine = TorchRuntime.engine();

    Run(RowSplit data, TrainConfig cfg, TrainListener listener, Random rnd, double muWeight) {
      this.data = data;
      this.cfg = cfg;
      this.listener = listener;
      this.rnd = rnd;
      this.muWeight = muWeight;
    }

    TrainResult run(VaeWeights init) {
      long start = System.nanoTime();
      boolean validate = data.validation.length > 0;
      List<EpochStats> history = new ArrayList<>();
      VaeWeights best = init;
      int bestEpoch = 0;
      double bestLoss = Double.POSITIVE_INFINITY;
      try (NDManager root = engine.newBaseManager(Device.cpu());
          TorchVae net = new TorchVae(root, init, true)) {
        Optimizer adam =
            Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) cfg.learningRate()))
                .build();
        int[] order = new int[data.train.length];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
          shuffle(order);
          double trainLoss = trainEpoch(root, net, adam, order);
          if (!Double.isFinite(trainLoss)) {
            throw new IllegalStateException(
                "training diverged in epoch "
                    + epoch
                    + " (loss "
                    + trainLoss
                    + "); lower the learning rate (now "
                    + cfg.learningRate()
                    + ")");
          }
          double[] val = validate ? validate(root, net) : new double[] {Double.NaN, Double.NaN};
          history.add(new EpochStats(epoch, trainLoss, val[0], val[1]));
          listener.onEpoch(epoch, cfg.epochs(), trainLoss, val[0]);
          if (!validate) {
            bestEpoch = epoch;
          } else if (val[0] < bestLoss * (1 - MIN_RELATIVE_IMPROVEMENT)) {
            bestLoss = val[0];
            bestEpoch = epoch;
            best = net.toWeights();
          } else if (epoch - bestEpoch >= cfg.patience()) {
            break;
          }
        }
        if (!validate) {
          best = net.toWeights();
          bestLoss = Double.NaN;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      int epochs = history.size();
      return new TrainResult(
          best,
          epochs,
          bestEpoch,
          bestLoss,
          history,
          data.train.length,
          data.validation.length,
          (double) epochs * data.train.length / seconds,
          seconds);
    }

    /** One pass over the training rows; returns the row-weighted mean loss. */
    private double trainEpoch(NDManager root, TorchVae net, Optimizer adam, int[] order) {
      int n = order.length;
      int d = data.width;
      int k = cfg.latent();
      double sum = 0;
      for (int from = 0; from < n; from += cfg.batchSize()) {
        int b = Math.min(cfg.batchSize(), n - from);
        // Per-batch scope: the batch, every intermediate and the autograd graph die here.
        try (NDManager step = root.newSubManager()) {
          NDArray x = step.create(RowSplit.gather(data.train, order, from, b, d), new Shape(b, d));
          NDArray eps = step.create(gaussians(b * k), new Shape(b, k));
          NDArray target =
              data.trainTarget == null
                  ? x
                  : step.create(
                      RowSplit.gather(data.trainTarget, order, from, b, d), new Shape(b, d));
          NDArray muTarget =
              data.trainMu == null
                  ? null
                  : step.create(RowSplit.gather(data.trainMu, order, from, b, k), new Shape(b, k));
          float loss;
          try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray l = net.loss(target, muTarget, net.forward(x, eps), cfg.beta(), muWeight);
            gc.backward(l);
            loss = l.getFloat();
          }
          List<NDArray> params = net.parameters();
          for (int p = 0; p < params.size(); p++) {
            // getGradient() hands out a new handle each call; close it. The update zeroes the grad.
            try (NDArray g = params.get(p).getGradient()) {
              adam.update("p" + p, params.get(p), g);
            }
          }
          sum += (double) loss * b;
        }
      }
      return sum / n;
    }

    /** Validation {@code [loss, mse]} with z = mu on all held-out rows at once. */
    private double[] validate(NDManager root, TorchVae net) {
      try (NDManager step = root.newSubManager()) {
        int n = data.validation.length;
        NDArray x =
            step.create(RowSplit.flatten(data.validation, data.width), new Shape(n, data.width));
        NDList out = net.forward(x, null);
        NDArray target =
            data.validationTarget == null
                ? x
                : step.create(
                    RowSplit.flatten(data.validationTarget, data.width), new Shape(n, data.width));
        NDArray muTarget =
            data.validationMu == null
                ? null
                : step.create(
                    RowSplit.flatten(data.validationMu, cfg.latent()), new Shape(n, cfg.latent()));
        NDList parts = net.rowLosses(target, out);
        double mse = parts.get(0).mean().getFloat();
        double loss = net.loss(target, muTarget, out, cfg.beta(), muWeight).getFloat();
        return new double[] {loss, mse};
      }
    }

    private void shuffle(int[] order) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }

    private float[] gaussians(int count) {
      float[] e = new float[count];
      for (int i = 0; i < count; i++) {
        e[i] = (float) rnd.nextGaussian();
      }
      return e;
    }
  }
}
