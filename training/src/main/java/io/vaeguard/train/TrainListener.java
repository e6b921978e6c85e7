package io.vaeguard.train;

/** Told after every epoch, e.g. to print progress in the CLI. Runs on the training thread. */
@FunctionalInterface
public interface TrainListener {

  TrainListener NONE = (epoch, maxEpochs, trainLoss, validationLoss) -> {};

  /**
   * @param epoch 1-based epoch just finished
   * @param maxEpochs the configured maximum (early stopping may end sooner)
   * @param trainLoss mean training loss over the epoch's batches (sampled z)
   * @param validationLoss validation loss with z = mu, NaN when nothing is held out
   */
  void onEpoch(int epoch, int maxEpochs, double trainLoss, double validationLoss);
}
