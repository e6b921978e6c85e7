package io.vaeguard.model.card;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.vaeguard.model.calibration.Calibration;
import java.util.List;
import java.util.Map;

/**
 * The model card ({@code model.json}) that stands beside every {@code model.onnx}: what the model
 * expects, how its detector turns scores into decisions, and where it came from (README, "The
 * model").
 *
 * <p>The ONNX input is {@code window * features.size()} wide: a window of W rows flattened oldest
 * row first, each row the named features in this order, standardised by {@code scaler} (one entry
 * per feature, shared by all window positions).
 *
 * @param name model name
 * @param version model version (free text; shown in alerts)
 * @param createdAt ISO-8601 instant
 * @param onnxFile the ONNX file's name, relative to the card
 * @param precision fp32, int8, int8-static or fp16w
 * @param features feature names in input order
 * @param window rows per input (1 = snapshot)
 * @param hidden encoder hidden widths (the decoder mirrors them)
 * @param latentDim size of {@code mu} and {@code logvar}
 * @param scaler per-feature standardisation
 * @param klWeight raw score = reconstruction error + klWeight * KL
 * @param calibration the detector's (smoothed) statistic to [0,1]: the share of normal rows below
 *     it
 * @param threshold calibrated score at or above which a row is anomalous: 1 - the target
 *     false-alarm rate
 * @param thresholdRule how the threshold was chosen, for people
 * @param persistence consecutive rows at or above the threshold before a row is anomalous (1 = the
 *     first)
 * @param detector the detector's fitted parameters (statistic, error scales, smoothing, ...); null
 *     in cards written before it existed, which mean the raw score, unsmoothed
 * @param training what the model was trained on and how
 * @param validation metrics measured at build time, e.g. export max abs difference
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "version",
  "createdAt",
  "onnxFile",
  "precision",
  "features",
  "window",
  "hidden",
  "latentDim"
})
public record ModelCard(
    String name,
    String version,
    String createdAt,
    String onnxFile,
    String precision,
    List<String> features,
    int window,
    List<Integer> hidden,
    int latentDim,
    Scaler scaler,
    double klWeight,
    Calibration calibration,
    double threshold,
    String thresholdRule,
    int persistence,
    io.vaeguard.model.detect.DetectorSpec detector,
    TrainingSummary training,
    Map<String, Double> validation) {

  public static final String CARD_FILE = "model.json";
  public static final String ONNX_FILE = "model.onnx";

  public ModelCard {
    features = List.copyOf(features);
    hidden = hidden == null ? List.of() : List.copyOf(hidden);
    validation = validation == null ? Map.of() : Map.copyOf(validation);
    if (window < 1) {
      throw new IllegalArgumentException("model card: window must be >= 1, got " + window);
    }
    if (scaler.size() != features.size()) {
      throw new IllegalArgumentException(
          "model card: scaler has "
              + scaler.size()
              + " entries for "
              + features.size()
              + " features");
    }
    if (!(threshold >= 0 && threshold < 1)) {
      throw new IllegalArgumentException(
          "model card: threshold must be in [0,1), got " + threshold);
    }
    if (persistence < 1) {
      persistence = 1;
    }
    if (detector != null
        && detector.statistic().standardised()
        && detector.features() != features.size()) {
      throw new IllegalArgumentException(
          "model card: the detector has "
              + detector.features()
              + " error scales for "
              + features.size()
              + " features");
    }
  }

  /** Width of the ONNX input {@code x}: features times window. */
  public int inputDim() {
    return features.size() * window;
  }

  public ModelCard withPrecision(String newPrecision, Map<String, Double> newValidation) {
    return new ModelCard(
        name,
        version,
        createdAt,
        onnxFile,
        newPrecision,
        features,
        window,
        hidden,
        latentDim,
        scaler,
        klWeight,
        calibration,
        threshold,
        thresholdRule,
        persistence,
        detector,
        training,
        newValidation);
  }

  public ModelCard withCalibration(
      Calibration newCalibration, double newThreshold, String rule, int newPersistence) {
    return withDetector(detector, newCalibration, newThreshold, rule, newPersistence);
  }

  /** The card with a new detector section, calibration and threshold. */
  public ModelCard withDetector(
      io.vaeguard.model.detect.DetectorSpec newDetector,
      Calibration newCalibration,
      double newThreshold,
      String rule,
      int newPersistence) {
    return new ModelCard(
        name,
        version,
        createdAt,
        onnxFile,
        precision,
        features,
        window,
        hidden,
        latentDim,
        scaler,
        klWeight,
        newCalibration,
        newThreshold,
        rule,
        newPersistence,
        newDetector,
        training,
        validation);
  }

  /**
   * How the model was trained.
   *
   * @param source data file or generator description
   * @param rows training rows (windows) used for fitting
   * @param validationRows rows held out for early stopping
   * @param seed random seed
   * @param epochs maximum epochs
   * @param epochsRun epochs actually run (early stopping)
   * @param batchSize mini-batch size
   * @param learningRate Adam learning rate
   * @param beta weight of the KL term in the training loss
   * @param samplesPerSecond training throughput
   * @param wallSeconds training wall time
   */
  public record TrainingSummary(
      String source,
      int rows,
      int validationRows,
      long seed,
      int epochs,
      int epochsRun,
      int batchSize,
      double learningRate,
      double beta,
      double samplesPerSecond,
      double wallSeconds) {}
}
