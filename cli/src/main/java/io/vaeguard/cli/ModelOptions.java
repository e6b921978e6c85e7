package io.vaeguard.cli;

import io.vaeguard.model.Precision;
import io.vaeguard.model.detect.DetectorOptions;
import io.vaeguard.model.detect.Statistic;
import io.vaeguard.train.TrainConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** Model shape, training and detector options, shared by train and evaluate. */
final class ModelOptions {

  @Option(
      names = "--window",
      paramLabel = "W",
      defaultValue = "5",
      description =
          "Causal window: each input is the last W rows of an entity; 1 is a snapshot (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--hidden",
      paramLabel = "H1,H2",
      split = ",",
      description = "Encoder hidden widths; the decoder mirrors them (default: 64,32).")
  List<Integer> hidden;

  @Option(
      names = "--latent",
      paramLabel = "K",
      defaultValue = "8",
      description = "Latent size (default: ${DEFAULT-VALUE}).")
  int latent;

  @Option(
      names = "--beta",
      paramLabel = "B",
      description =
          "Weight of the KL term in the training loss (default: " + TrainConfig.DEFAULT_BETA + ").")
  Double beta;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "200",
      description =
          "Maximum epochs; early stopping on the validation split may end sooner (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--patience",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "Epochs without a better validation loss before stopping (default: ${DEFAULT-VALUE}).")
  int patience;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "64",
      description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--learning-rate",
      paramLabel = "LR",
      defaultValue = "0.001",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      defaultValue = "0.2",
      description =
          "Last fraction of the rows held out for early stopping (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Random seed: same seed, same model (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--target-far",
      paramLabel = "F",
      defaultValue = "" + DetectorOptions.DEFAULT_TARGET_FAR,
      description =
          "Target false-alarm rate: the share of normal rows the threshold may flag; the threshold is the "
              + "calibrated score 1 - F (default: ${DEFAULT-VALUE}).")
  double targetFar;

  @Option(
      names = "--smoothing",
      paramLabel = "A",
      defaultValue = "" + DetectorOptions.DEFAULT_SMOOTHING,
      description =
          "Weight of the newest row in the moving average of the detector statistic, in (0, 1]; 1 = no "
              + "smoothing (default: ${DEFAULT-VALUE}, about the last 20 rows).")
  double smoothing;

  @Option(
      names = "--statistic",
      paramLabel = "S",
      defaultValue = "max-standardised",
      description =
          "What the detector watches: max-standardised (the largest per-feature error over its typical size "
              + "on the fitting rows), mean-standardised, or raw (reconstruction error + kl-weight x KL) (default: ${DEFAULT-VALUE}).")
  String statistic;

  @Option(
      names = "--persistence",
      paramLabel = "P",
      defaultValue = "1",
      description =
          "A row is anomalous after P rows in a row at or above the threshold (default: ${DEFAULT-VALUE}).")
  int persistence;

  @Option(
      names = "--resolve-after",
      paramLabel = "N",
      defaultValue = "" + DetectorOptions.DEFAULT_RESOLVE_AFTER,
      description =
          "Normal rows in a row that close an alert episode (a resolve event) (default: ${DEFAULT-VALUE}).")
  int resolveAfter;

  @Option(
      names = "--adapt-half-life",
      paramLabel = "ROWS",
      defaultValue = "0",
      description =
          "Per-entity baseline that follows lasting changes of level: rows for it to move halfway; a "
              + "regime change stops alerting after a few half-lives. 0 = off (default: ${DEFAULT-VALUE}).")
  double adaptHalfLife;

  @Option(
      names = "--spike-channel",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With smoothing, also watch each row's own statistic, so that a one-row spike alerts; it takes a "
              + "tenth of the false-alarm budget. --no-spike-channel switches it off (default: on).")
  boolean spikeChannel;

  @Option(
      names = "--cap",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With smoothing, cap each row's part of the moving average, so that alerts stop within a few rows "
              + "after an anomaly of any size. --no-cap switches it off (default: on).")
  boolean cap;

  @Option(
      names = "--flatline",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Alert when an entity's rows repeat their inputs exactly for longer than any run in the "
              + "fitting rows (from twice the longest run of repeats, at least the fifth repeat): a stuck sensor, which a "
              + "reconstruction model finds normal. --no-flatline switches it off (default: on).")
  boolean flatline;

  @Option(
      names = "--kl-weight",
      paramLabel = "W",
      defaultValue = "0",
      description =
          "Raw score = reconstruction error + W x KL (default: ${DEFAULT-VALUE}: reconstruction error alone).")
  double klWeight;

  TrainConfig trainConfig() {
    TrainConfig.Builder b =
        TrainConfig.builder()
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

  /** How evaluate's protocols build their models from these options. */
  io.vaeguard.cli.offline.ModelRecipe recipe(Precision precision) {
    return new io.vaeguard.cli.offline.ModelRecipe(
        trainConfig(), detectorOptions(), window, klWeight, precision);
  }

  DetectorOptions detectorOptions() {
    try {
      return new DetectorOptions(
          Statistic.parse(statistic),
          smoothing,
          targetFar,
          persistence,
          resolveAfter,
          adaptHalfLife,
          spikeChannel,
          cap,
          flatline);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  static java.util.Set<Precision> precisions(List<String> ids) {
    java.util.Set<Precision> set = java.util.EnumSet.noneOf(Precision.class);
    for (String id : ids) {
      set.add(Precision.parse(id.trim()));
    }
    return set;
  }
}
