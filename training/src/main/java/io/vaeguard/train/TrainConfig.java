package io.vaeguard.train;

import io.vaeguard.model.VaeWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Hyper-parameters of one VAE training run. Immutable; build with {@link #builder()}, whose setters
 * reject bad values at once so the message points at the option that is wrong.
 */
public final class TrainConfig {

  /**
   * Default KL weight. With our loss (per-feature mean squared error plus {@code beta * KL / D}),
   * {@code beta = 1} is the ELBO of a Gaussian decoder with variance 0.5 per feature: far too
   * blurry for standardised sensor data whose normal reconstruction error is well below 0.1. A
   * small beta keeps the latent regularised yet lets the decoder reconstruct normal rows closely,
   * which is what a reconstruction-error detector needs.
   */
  public static final double DEFAULT_BETA = 0.1;

  private final List<Integer> hidden;
  private final int latent;
  private final double beta;
  private final int epochs;
  private final int batchSize;
  private final double learningRate;
  private final long seed;
  private final double validationFraction;
  private final int patience;
  private final OptionalInt threads;
  private final VaeWeights initialWeights;

  private TrainConfig(Builder b) {
    hidden = List.copyOf(b.hidden);
    latent = b.latent;
    beta = b.beta;
    epochs = b.epochs;
    batchSize = b.batchSize;
    learningRate = b.learningRate;
    seed = b.seed;
    validationFraction = b.validationFraction;
    patience = b.patience;
    threads = b.threads;
    initialWeights = b.initialWeights;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static TrainConfig defaults() {
    return builder().build();
  }

  /** A builder preset with this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.hidden = hidden;
    b.latent = latent;
    b.beta = beta;
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.learningRate = learningRate;
    b.seed = seed;
    b.validationFraction = validationFraction;
    b.patience = patience;
    b.threads = threads;
    b.initialWeights = initialWeights;
    return b;
  }

  /** Encoder hidden widths, e.g. [64, 32]; the decoder mirrors them. */
  public List<Integer> hidden() {
    return hidden;
  }

  public int latent() {
    return latent;
  }

  public double beta() {
    return beta;
  }

  /** Maximum number of epochs; early stopping may end the run sooner. */
  public int epochs() {
    return epochs;
  }

  public int batchSize() {
    return batchSize;
  }

  public double learningRate() {
    return learningRate;
  }

  public long seed() {
    return seed;
  }

  /** Share of rows, taken from the end (the most recent rows), held out for validation. */
  public double validationFraction() {
    return validationFraction;
  }

  /** Epochs without a better validation loss before training stops. */
  public int patience() {
    return patience;
  }

  /** PyTorch intra-op threads while training; empty means {@link #defaultThreads()}. */
  public OptionalInt threads() {
    return threads;
  }

  /**
   * Threads used when none are configured: one. The nets are small (a 64x64 matmul is too little
   * work to split), and on the 2-core build machine, shared with other jobs, 2 OpenMP threads ran
   * 5-8x slower than one (about 10-18k vs 85k samples/s at batch 64) because each op's barrier
   * waits for a descheduled thread. Raise it for wide nets and large batches on idle cores.
   */
  public static int defaultThreads() {
    return 1;
  }

  public int effectiveThreads() {
    return threads.orElse(defaultThreads());
  }

  /**
   * Weights to start from instead of a random draw (fine-tuning a pruned model, for one); their
   * hidden and latent sizes are this config's. Empty: seeded random initialisation.
   */
  public Optional<VaeWeights> initialWeights() {
    return Optional.ofNullable(initialWeights);
  }

  @Override
  public String toString() {
    return "TrainConfig{hidden="
        + hidden
        + ", latent="
        + latent
        + ", beta="
        + beta
        + ", epochs="
        + epochs
        + ", batchSize="
        + batchSize
        + ", learningRate="
        + learningRate
        + ", seed="
        + seed
        + ", validationFraction="
        + validationFraction
        + ", patience="
        + patience
        + ", threads="
        + effectiveThreads()
        + (initialWeights != null ? ", init=given" : "")
        + "}";
  }

  /** Builder whose setters check their argument. */
  public static final class Builder {
    private List<Integer> hidden = List.of(64, 32);
    private int latent = 8;
    private double beta = DEFAULT_BETA;
    private int epochs = 200;
    private int batchSize = 64;
    private double learningRate = 1e-3;
    private long seed = 42;
    private double validationFraction = 0.2;
    private int patience = 20;
    private OptionalInt threads = OptionalInt.empty();
    private VaeWeights initialWeights;

    private Builder() {}

    public Builder hidden(List<Integer> sizes) {
      Objects.requireNonNull(sizes, "hidden");
      if (sizes.isEmpty()) {
        throw new IllegalArgumentException(
            "hidden sizes must name at least one layer, e.g. [64, 32]");
      }
      List<Integer> copy = new ArrayList<>();
      for (Integer s : sizes) {
        if (s == null || s <= 0) {
          throw new IllegalArgumentException("hidden sizes must be positive, got " + sizes);
        }
        copy.add(s);
      }
      this.hidden = List.copyOf(copy);
      return this;
    }

    public Builder hidden(Integer... sizes) {
      return hidden(List.of(sizes));
    }

    public Builder latent(int latent) {
      if (latent <= 0) {
        throw new IllegalArgumentException("latent size must be at least 1, got " + latent);
      }
      this.latent = latent;
      return this;
    }

    public Builder beta(double beta) {
      if (!(beta >= 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException("beta (KL weight) must be finite and >= 0, got " + beta);
      }
      this.beta = beta;
      return this;
    }

    public Builder epochs(int epochs) {
      if (epochs <= 0) {
        throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    public Builder learningRate(double learningRate) {
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException(
            "learning rate must be finite and > 0, got " + learningRate);
      }
      this.learningRate = learningRate;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder validationFraction(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException(
            "validation fraction must be in [0, 1), got "
                + fraction
                + " (0 trains on every row and keeps the last epoch's weights)");
      }
      this.validationFraction = fraction;
      return this;
    }

    public Builder patience(int patience) {
      if (patience <= 0) {
        throw new IllegalArgumentException(
            "early-stopping patience must be at least 1 epoch, got " + patience);
      }
      this.patience = patience;
      return this;
    }

    public Builder threads(int threads) {
      if (threads <= 0) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = OptionalInt.of(threads);
      return this;
    }

    /**
     * Start from {@code weights} (null: random); sets hidden and latent sizes to theirs. The
     * decoder must mirror the encoder, as every model this trainer writes does.
     */
    public Builder initialWeights(VaeWeights weights) {
      this.initialWeights = weights;
      if (weights != null) {
        List<Integer> mirrored = new ArrayList<>();
        for (int i = weights.decoder().size() - 2; i >= 0; i--) {
          mirrored.add(weights.decoder().get(i).out());
        }
        if (!mirrored.equals(weights.hidden())) {
          throw new IllegalArgumentException(
              "initial weights: decoder hidden widths "
                  + mirrored
                  + " do not mirror the encoder's "
                  + weights.hidden());
        }
        hidden(weights.hidden());
        latent(weights.latentDim());
      }
      return this;
    }

    public TrainConfig build() {
      if (initialWeights != null
          && (!initialWeights.hidden().equals(hidden) || initialWeights.latentDim() != latent)) {
        throw new IllegalArgumentException(
            "initial weights have hidden "
                + initialWeights.hidden()
                + " and latent "
                + initialWeights.latentDim()
                + " but the config says hidden "
                + hidden
                + " and latent "
                + latent);
      }
      return new TrainConfig(this);
    }
  }
}
