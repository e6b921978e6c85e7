package io.vaeguard.train.optimize;

import io.vaeguard.model.Precision;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCard.TrainingSummary;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorOptions;
import io.vaeguard.model.export.VaeOnnxExporter;
import io.vaeguard.model.quantize.ActivationRanges;
import io.vaeguard.train.ModelBuilder;
import io.vaeguard.train.TrainResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes each variant as a servable model directory under the output: the ONNX file of its weights
 * at its precision, then its card, the base card with the variant's shape, precision and training,
 * its calibration and threshold refitted on the fitting rows by the base card's threshold rule
 * ({@link ModelBuilder#recalibrate}), the same for every variant.
 */
final class VariantWriter {

  private final ModelCard base;
  private final Path out;
  private final Optimizer.Rows rows;
  private final DetectorOptions rule;

  VariantWriter(ModelCard base, Path out, Optimizer.Rows rows) {
    this.base = base;
    this.out = out;
    this.rows = rows;
    this.rule = Detector.specOf(base).options(base.persistence());
  }

  /**
   * Writes {@code out/name}.
   *
   * @param parent the float variant this one quantizes, or null
   * @param ranges activation ranges for static int8, else null
   * @param t the run that made {@code w}, or null for the base model's weights
   */
  Variant write(
      String name,
      String parent,
      VaeWeights w,
      Precision p,
      ActivationRanges ranges,
      Trained t,
      String how) {
    Path dir = out.resolve(name);
    TrainingSummary training = base.training();
    if (t != null) {
      TrainResult r = t.result();
      training =
          new TrainingSummary(
              "optimize (" + name.replaceAll("-int8.*", "") + ") on " + rows.fitSource(),
              r.trainRows(),
              r.validationRows(),
              t.cfg().seed(),
              t.cfg().epochs(),
              r.epochsRun(),
              t.cfg().batchSize(),
              t.cfg().learningRate(),
              t.cfg().beta(),
              r.samplesPerSecond(),
              r.wallSeconds());
    }
    ModelCard card =
        new ModelCard(
            base.name(),
            base.version() + "+" + name,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            ModelCard.ONNX_FILE,
            p.id(),
            base.features(),
            base.window(),
            w.hidden(),
            w.latentDim(),
            base.scaler(),
            base.klWeight(),
            base.calibration(),
            base.threshold(),
            base.thresholdRule(),
            base.persistence(),
            base.detector(),
            training,
            Map.of());
    VaeOnnxExporter.writeModelDir(w, p, ranges, card, dir);
    Map<String, Double> validation = new LinkedHashMap<>();
    validation.put("optimizeFittingRows", (double) rows.fitWindows().length);
    ModelBuilder.recalibrate(
        dir, p, rows.fitWindows(), rule, Detector.specOf(base).generalisationGap(), validation);
    long bytes;
    try {
      bytes = Files.size(dir.resolve(ModelCard.ONNX_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Variant(name, parent, p, dir, w.hidden(), w.latentDim(), bytes, how);
  }
}
