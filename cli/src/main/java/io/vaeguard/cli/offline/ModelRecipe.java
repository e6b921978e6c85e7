package io.vaeguard.cli.offline;

import io.vaeguard.model.Precision;
import io.vaeguard.model.detect.DetectorOptions;
import io.vaeguard.train.ModelBuilder;
import io.vaeguard.train.TrainConfig;
import io.vaeguard.train.TrainListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How every evaluation protocol builds its models: the command's training, detector, window, KL
 * weight and precision, in one place so that SKAB, TEP and the univariate set are fitted alike.
 *
 * @param train training configuration
 * @param detector detector options
 * @param window causal window length
 * @param klWeight raw score = E + klWeight * KL
 * @param precision the one ONNX variant to write and score
 */
public record ModelRecipe(
    TrainConfig train, DetectorOptions detector, int window, double klWeight, Precision precision) {

  public ModelRecipe {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(precision, "precision");
  }

  /**
   * Fits a model on {@code segments} (one chronological segment per entity) into {@code dir} and
   * returns the epochs run.
   */
  public int build(
      String name, String source, List<String> features, List<double[][]> segments, Path dir) {
    ModelBuilder.Request req =
        new ModelBuilder.Request(
            name,
            "backtest",
            source,
            features,
            segments,
            window,
            train,
            detector,
            klWeight,
            Set.of(precision));
    return ModelBuilder.build(req, dir, TrainListener.NONE).training().epochsRun();
  }
}
