package io.vaeguard.train;

import io.vaeguard.model.Precision;
import io.vaeguard.model.calibration.Calibration;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCard.TrainingSummary;
import io.vaeguard.model.card.Scaler;
import io.vaeguard.model.data.Windows;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorFit;
import io.vaeguard.model.detect.DetectorOptions;
import io.vaeguard.model.detect.Flatline;
import io.vaeguard.model.export.VaeOnnxExporter;
import io.vaeguard.model.scorer.Outputs;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a servable model directory from raw rows: fits the scaler, trains the VAE, exports one
 * ONNX file per precision, checks each against the trained network, calibrates its scores and
 * writes its card. The result is {@code out/<precision>/model.onnx} and {@code model.json} for each
 * precision.
 */
public final class ModelBuilder {

  /** Rows scored per ONNX Runtime call while calibrating. */
  private static final int SCORE_BATCH = 1024;

  /** Fewer windows than this cannot be split into training, validation and a calibration sample. */
  public static final int MIN_WINDOWS = 20;

  private ModelBuilder() {}

  /**
   * What to build.
   *
   * @param name model name for the card
   * @param version model version for the card
   * @param source where the rows came from, for the card
   * @param features feature names, in column order of {@code rows}
   * @param segments raw (unscaled) fitting rows, {@code [n][features]}, one chronological segment
   *     per entity (windows never cross segments)
   * @param window causal window length (1 = snapshot)
   * @param train training configuration
   * @param detector what the detector watches and the false-alarm rate its threshold is set for
   * @param klWeight raw score = reconstruction error + klWeight * KL
   * @param precisions which ONNX variants to write
   */
  public record Request(
      String name,
      String version,
      String source,
      List<String> features,
      List<double[][]> segments,
      int window,
      TrainConfig train,
      DetectorOptions detector,
      double klWeight,
      Set<Precision> precisions) {

    public Request {
      Objects.requireNonNull(name, "name");
      features = List.copyOf(features);
      segments = List.copyOf(segments);
      precisions = Set.copyOf(precisions);
      if (precisions.isEmpty()) {
        throw new IllegalArgumentException("choose at least one precision");
      }
      if (window < 1) {
        throw new IllegalArgumentException("window must be at least 1 row, got " + window);
      }
      int windows = 0;
      for (double[][] seg : segments) {
        windows += Math.max(0, seg.length - window + 1);
        for (double[] r : seg) {
          if (r.length != features.size()) {
            throw new IllegalArgumentException("every row needs " + features.size() + " values");
          }
        }
      }
      if (windows < MIN_WINDOWS) {
        throw new IllegalArgumentException(
            "too few rows to train"
                + (source == null ? "" : " on " + source)
                + ": "
                + windows
                + " full windows of "
                + window
                + " row(s), at least "
                + MIN_WINDOWS
                + " needed");
      }
    }

    /** All rows of all segments, in order. */
    double[][] allRows() {
      return segments.stream().flatMap(java.util.Arrays::stream).toArray(double[][]::new);
    }

    /** Full windows per segment, in order (segments shorter than a window have none). */
    List<Integer> windowsPerSegment() {
      return segments.stream()
          .filter(seg -> seg.length >= window)
          .map(seg -> seg.length - window + 1)
          .toList();
    }

    /** Windows of every segment, concatenated. */
    double[][] windows() {
      return segments.stream()
          .filter(seg -> seg.length >= window)
          .flatMap(seg -> java.util.Arrays.stream(Windows.of(seg, window)))
          .toArray(double[][]::new);
    }
  }

  /** What was built: the directory, the card of each precision, and the training run. */
  public record Built(Path dir, Map<Precision, ModelCard> cards, TrainResult training) {}

  public static Built build(Request req, Path out, TrainListener listener) {
    Scaler scaler = Scaler.fit(req.allRows());
    double[][] rawWindows = req.windows();
    float[][] normalised = normalise(rawWindows, scaler);

    TrainResult result = VaeTrainer.train(normalised, req.train(), listener);

    // The export check runs the held-out rows (or all, when none are held out) through both
    // networks.
    int valFrom = result.validationRows() > 0 ? result.trainRows() : 0;
    float[][] checkRows = java.util.Arrays.copyOfRange(normalised, valFrom, normalised.length);
    VaeOutputs reference = VaeTrainer.forward(result.weights(), checkRows);

    TrainConfig cfg = req.train();
    TrainingSummary summary =
        new TrainingSummary(
            req.source(),
            result.trainRows(),
            result.validationRows(),
            cfg.seed(),
            cfg.epochs(),
            result.epochsRun(),
            cfg.batchSize(),
            cfg.learningRate(),
            cfg.beta(),
            result.samplesPerSecond(),
            result.wallSeconds());

    Map<Precision, ModelCard> cards = new EnumMap<>(Precision.class);
    for (Precision p : Precision.values()) {
      if (!req.precisions().contains(p)) {
        continue;
      }
      Path dir = out.resolve(p.id());
      ModelCard provisional =
          new ModelCard(
              req.name(),
              req.version(),
              Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
              ModelCard.ONNX_FILE,
              p.id(),
              req.features(),
              req.window(),
              cfg.hidden(),
              cfg.latent(),
              scaler,
              req.klWeight(),
              provisionalCalibration(),
              0.5,
              "provisional",
              1,
              null,
              summary,
              Map.of());
      VaeOnnxExporter.writeModelDir(result.weights(), p, provisional, dir);
      cards.put(p, calibrate(dir, p, provisional, rawWindows, checkRows, reference, result, req));
    }
    return new Built(out, cards, result);
  }

  /** Scores the fitting rows with the exported model and writes the final card beside it. */
  private static ModelCard calibrate(
      Path dir,
      Precision p,
      ModelCard provisional,
      double[][] rawWindows,
      float[][] checkRows,
      VaeOutputs reference,
      TrainResult result,
      Request req) {
    WindowScores scores;
    double maxDiff;
    try (VaeScorer scorer = VaeScorer.open(dir, p, ScorerOptions.defaults())) {
      scores = score(scorer, rawWindows);
      maxDiff = maxAbsDiff(scorer, checkRows, reference);
    }
    Map<String, Double> validation = new LinkedHashMap<>();
    validation.put("exportMaxAbsDiff", maxDiff);
    validation.put("exportCheckRows", (double) checkRows.length);
    validation.put("bestValidationLoss", result.bestValidationLoss());
    validation.put("fittingReconstructionMse", mean(scores.reconstructionError()));
    DetectorFit.Fitted fitted =
        DetectorFit.fit(
            scores.featureErrors(),
            scores.raw(),
            req.windowsPerSegment(),
            result.trainRows(),
            Double.NaN,
            req.detector(),
            Flatline.longestRun(req.segments()));
    ModelCard card =
        withDetector(provisional.withPrecision(p.id(), validation), fitted, req.detector());
    io.vaeguard.model.card.ModelCards.write(card, dir.resolve(ModelCard.CARD_FILE));
    return card;
  }

  /**
   * Refits the detector (error scales, calibration, threshold) of the model in {@code dir} (card
   * and ONNX file already there) on its own scores of {@code rawWindows}, the fitting rows, with
   * {@code options}, as a freshly trained model gets them; writes and returns the new card.
   * Compressed variants use this, so a variant's threshold follows the same rule as its base
   * model's. The rows held out from training are not known here, so the base model's generalisation
   * gap is kept.
   *
   * @param gap the base model's generalisation gap
   * @param validation metrics to store in the card; the fitting rows' reconstruction MSE and the
   *     raw threshold are added
   */
  public static ModelCard recalibrate(
      Path dir,
      Precision p,
      double[][] rawWindows,
      DetectorOptions options,
      double gap,
      Map<String, Double> validation) {
    WindowScores scores;
    ModelCard card;
    try (VaeScorer scorer = VaeScorer.open(dir, p, ScorerOptions.defaults())) {
      card = scorer.card();
      scores = score(scorer, rawWindows);
    }
    Map<String, Double> v = new LinkedHashMap<>(validation);
    v.put("fittingReconstructionMse", mean(scores.reconstructionError()));
    DetectorFit.Fitted fitted =
        DetectorFit.fit(
            scores.featureErrors(), scores.raw(), List.of(rawWindows.length), 0, gap, options);
    // Whether a row repeats is a property of the data, not of the model: a variant keeps the
    // run length its base model was fitted with (these windows are a sample, entities joined).
    int flatlineAfter = options.flatline() ? Detector.specOf(card).flatlineAfter() : 0;
    fitted =
        new DetectorFit.Fitted(
            fitted.spec().withFlatlineAfter(flatlineAfter),
            fitted.calibration(),
            fitted.threshold());
    ModelCard out = withDetector(card.withPrecision(p.id(), v), fitted, options);
    io.vaeguard.model.card.ModelCards.write(out, dir.resolve(ModelCard.CARD_FILE));
    return out;
  }

  /**
   * The scores of the fitting windows.
   *
   * @param raw raw score per window
   * @param reconstructionError E per window
   * @param featureErrors per window, per feature: its part of E
   */
  public record WindowScores(
      double[] raw, double[] reconstructionError, double[][] featureErrors) {}

  /** Scores raw (unscaled) windows in batches. */
  public static WindowScores score(VaeScorer scorer, double[][] rawWindows) {
    double[] raw = new double[rawWindows.length];
    double[] recon = new double[rawWindows.length];
    int f = scorer.card().features().size();
    double[][] fe = new double[rawWindows.length][f];
    int d = scorer.card().inputDim();
    float[] buf = new float[SCORE_BATCH * d];
    for (int from = 0; from < rawWindows.length; from += SCORE_BATCH) {
      int n = Math.min(SCORE_BATCH, rawWindows.length - from);
      for (int i = 0; i < n; i++) {
        double[] w = rawWindows[from + i];
        for (int j = 0; j < d; j++) {
          buf[i * d + j] = (float) w[j];
        }
      }
      ScoreBatch batch = scorer.score(buf, n);
      for (int i = 0; i < n; i++) {
        raw[from + i] = batch.rawScore(i);
        recon[from + i] = batch.reconstructionError(i);
        for (int j = 0; j < f; j++) {
          fe[from + i][j] = batch.featureError(i, j);
        }
      }
    }
    return new WindowScores(raw, recon, fe);
  }

  /** The card with the fitted detector, its calibration and threshold. */
  private static ModelCard withDetector(
      ModelCard card, DetectorFit.Fitted fitted, DetectorOptions options) {
    Map<String, Double> validation = new LinkedHashMap<>(card.validation());
    validation.put("rawThreshold", fitted.calibration().rawAt(fitted.threshold()));
    validation.put("generalisationGap", fitted.spec().generalisationGap());
    return card.withPrecision(card.precision(), validation)
        .withDetector(
            fitted.spec(),
            fitted.calibration(),
            fitted.threshold(),
            options.describe(),
            options.persistence());
  }

  /** Largest |ONNX Runtime - trained network| over recon, mu and logvar of the check rows. */
  private static double maxAbsDiff(VaeScorer scorer, float[][] rows, VaeOutputs reference) {
    int d = rows[0].length;
    float[] flat = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * d, d);
    }
    Outputs o = scorer.forwardNormalised(flat, rows.length);
    double max = 0;
    for (int i = 0; i < rows.length; i++) {
      max = Math.max(max, maxDiff(o.recon(), i * o.inputDim(), reference.recon()[i]));
      max = Math.max(max, maxDiff(o.mu(), i * o.latentDim(), reference.mu()[i]));
      max = Math.max(max, maxDiff(o.logvar(), i * o.latentDim(), reference.logvar()[i]));
    }
    return max;
  }

  private static double maxDiff(float[] flat, int offset, float[] ref) {
    double max = 0;
    for (int j = 0; j < ref.length; j++) {
      max = Math.max(max, Math.abs(flat[offset + j] - ref[j]));
    }
    return max;
  }

  static float[][] normalise(double[][] windows, Scaler scaler) {
    int f = scaler.size();
    float[][] out = new float[windows.length][];
    for (int i = 0; i < windows.length; i++) {
      double[] w = windows[i];
      float[] r = new float[w.length];
      for (int j = 0; j < w.length; j++) {
        r[j] = (float) scaler.apply(j % f, w[j]);
      }
      out[i] = r;
    }
    return out;
  }

  /** A calibration for the provisional card, replaced once the model's own scores are known. */
  private static Calibration provisionalCalibration() {
    double[] ramp = new double[11];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i;
    }
    return Calibration.fit(ramp);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }
}
