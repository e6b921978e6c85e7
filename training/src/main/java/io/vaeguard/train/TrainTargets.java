package io.vaeguard.train;

/**
 * What the network is trained to output, when it is not the input itself: knowledge distillation
 * trains a small student on the rows with a teacher's outputs as targets.
 *
 * <p>The loss per row becomes {@code mse(recon, reconTarget) + beta * KL / D + muWeight * mean_k
 * (mu_k - muTarget_k)^2}; early stopping watches the same loss on the held-out rows.
 *
 * @param recon reconstruction target per row, as wide as the rows (a teacher's recon)
 * @param mu target for mu per row (a teacher's mu, so the student's latent must be as wide), or
 *     null to leave mu free
 * @param muWeight weight of the mu term, >= 0 (ignored without {@code mu})
 */
public record TrainTargets(float[][] recon, float[][] mu, double muWeight) {

  public TrainTargets {
    if (recon == null) {
      throw new IllegalArgumentException("a reconstruction target is needed");
    }
    if (!(muWeight >= 0) || Double.isInfinite(muWeight)) {
      throw new IllegalArgumentException("mu weight must be finite and >= 0, got " + muWeight);
    }
    if (mu != null && mu.length != recon.length) {
      throw new IllegalArgumentException(
          recon.length + " recon targets but " + mu.length + " mu targets");
    }
  }

  /** Targets from a teacher's outputs on the training rows. */
  public static TrainTargets of(VaeOutputs teacher, double muWeight) {
    return new TrainTargets(teacher.recon(), muWeight > 0 ? teacher.mu() : null, muWeight);
  }

  boolean hasMu() {
    return mu != null && muWeight > 0;
  }
}
