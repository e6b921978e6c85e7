package io.vaeguard.train;

import io.vaeguard.model.VaeWeights;
import java.util.List;

/**
 * Outcome of {@link VaeTrainer#train}.
 *
 * @param weights the weights of the best validation epoch (of the last epoch when nothing is held
 *     out)
 * @param epochsRun epochs actually run (early stopping may end before the maximum)
 * @param bestEpoch 1-based epoch whose weights are kept
 * @param bestValidationLoss validation loss of that epoch; NaN when nothing is held out
 * @param history one entry per epoch run
 * @param trainRows rows trained on (the first ones)
 * @param validationRows rows held out (the last ones)
 * @param samplesPerSecond training rows processed per second of wall time over the whole run
 * @param wallSeconds wall time of the run, validation and weight copies included
 */
public record TrainResult(
    VaeWeights weights,
    int epochsRun,
    int bestEpoch,
    double bestValidationLoss,
    List<EpochStats> history,
    int trainRows,
    int validationRows,
    double samplesPerSecond,
    double wallSeconds) {

  public TrainResult {
    history = List.copyOf(history);
  }
}
