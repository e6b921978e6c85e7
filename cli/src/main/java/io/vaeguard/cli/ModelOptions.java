package io.vaeguard.cli;

import io.vaeguard.model.Precision;
import io.vaeguard.train.ThresholdRule;
import io.vaeguard.train.TrainConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** Model shape, training and threshold options, shared by train and evaluate. */
final class ModelOptions {

  @Option(names = "--window", paramLabel = "W", defaultValue = "1",
      description = "Causal window: each input is the last W rows of an entity (default: ${DEFAULT-VALUE}, a snapshot).")
  int window;

  @Option(names = "--hidden", paramLabel = "H1,H2", split = ",",
      description = "Encoder hidden widths; the decoder mirrors them (default: 64,32).")
  List<Integer> hidden;

  @Option(names = "--latent", paramLabel = "K", defaultValue = "8", description = "Latent size (default: ${DEFAULT-VALUE}).")
  int latent;

  @Option(names = "--beta", paramLabel = "B", description = "Weight of the KL term in the training loss (default: "
      + TrainConfig.DEFAULT_BETA + ").")
  Double beta;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "200",
      description = "Maximum epochs; early stopping on the validation split may end sooner (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--patience", paramLabel = "N", defaultValue = "20",
      description = "Epochs without a better validation loss before stopping (default: ${DEFAULT-VALUE}).")
  int patience;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.2",
      description = "Last fraction of the rows held out for early stopping (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed: same seed, same model (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threshold-quantile", paramLabel = "Q", defaultValue = "0.99",
      description = "Threshold = factor x this quantile of the fitting rows' raw scores (default: ${DEFAULT-VALUE}).")
  double thresholdQuantile;

  @Option(names = "--threshold-factor", paramLabel = "F", defaultValue = "3.0",
      description = "See --threshold-quantile (default: ${DEFAULT-VALUE}).")
  double thresholdFactor;

  @Option(names = "--persistence", paramLabel = "P", defaultValue = "1",
      description = "Alert only after P rows in a row at or above the threshold (default: ${DEFAULT-VALUE}).")
  int persistence;

  @Option(names = "--kl-weight", paramLabel = "W", defaultValue = "0",
      description = "Raw score = reconstruction error + W x KL (default: ${DEFAULT-VALUE}: reconstruction error alone).")
  double klWeight;

  TrainConfig trainConfig() {
    TrainConfig.Builder b = TrainConfig.builder()
        .latent(latent)
        .epochs(epochs)
        .patience(patience)
        .batchSize(batchSize)
        .learningRate(learningRate)
        .validationFraction(validationFraction)
        .seed(seed);
    if (hidden != null) {
      b.hidden(hidden);
    }
    if (beta != null) {
      b.beta(beta);
    }
    return b.build();
  }

  ThresholdRule thresholdRule() {
    return new ThresholdRule(thresholdQuantile, thresholdFactor, persistence);
  }

  static java.util.Set<Precision> precisions(List<String> ids) {
    java.util.Set<Precision> set = java.util.EnumSet.noneOf(Precision.class);
    for (String id : ids) {
      set.add(Precision.parse(id.trim()));
    }
    return set;
  }
}
