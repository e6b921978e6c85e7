package io.vaeguard.train.optimize;

import io.vaeguard.model.Precision;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import io.vaeguard.model.compress.Pruning;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.eval.DetectionMetrics;
import io.vaeguard.model.eval.RankCorrelation;
import io.vaeguard.model.eval.RocAuc;
import io.vaeguard.model.offline.RowScores;
import io.vaeguard.model.offline.TableScorer;
import io.vaeguard.model.quantize.ActivationRanges;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.train.ModelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds compressed variants of one trained model, measures each, and picks the one to deploy.
 *
 * <p>Variants, each a servable model directory under the output:
 *
 * <ul>
 *   <li>{@code fp32} (the baseline), {@code fp16w}, {@code int8} (dynamic), {@code int8-static}
 *       (QDQ, activation ranges from the fitting rows) of the base weights;
 *   <li>{@code pruned-P}: P% of every hidden layer's units removed by weight norm ({@link
 *       Pruning}), then fine-tuned on the fitting rows;
 *   <li>{@code distilled}: a smaller VAE trained to output the base model's reconstruction (and its
 *       mu, when the latent sizes match) on the fitting rows;
 *   <li>{@code <pruned or distilled>-int8} and {@code -int8-static}.
 * </ul>
 *
 * <p>Every variant, the baseline included, gets its calibration and threshold refitted on the same
 * fitting rows by the base card's threshold rule ({@link ModelBuilder#recalibrate}), so they differ
 * only in their weights. Quality is measured on the validation rows (every row with a full window):
 * Spearman's rank correlation of raw scores with the baseline's; with labels, ROC-AUC of the raw
 * scores and F1 / FAR of each variant's own alerts (threshold and persistence from its card).
 *
 * <p>Speed is measured by the caller's {@link SpeedMeasure} ({@code vaeguard optimize} runs each
 * probe in a JVM of its own, which this module does not launch).
 *
 * <p>{@link Compression} trains the pruned and distilled weights, {@link VariantWriter} writes each
 * variant, {@link DeploymentRule} picks the one to deploy; this class runs them in order and
 * measures.
 */
public final class Optimizer {

  /** Batch sizes whose speed is measured; the deployment rule compares speeds at 1024. */
  public static final int[] SPEED_BATCHES = {1, 64, 1024};

  /** Records per second of one variant, at each of {@link #SPEED_BATCHES}. */
  @FunctionalInterface
  public interface SpeedMeasure {
    /**
     * @param dir the variant's model directory
     * @param precision its precision
     * @param scorer the session options to measure with (device, threads)
     * @param millis time per batch size
     * @return records/s by batch size
     */
    Map<Integer, Double> measure(Path dir, Precision precision, ScorerOptions scorer, int millis);
  }

  /** Rows of the fitting set used to measure activation ranges for static int8. */
  static final int RANGE_ROWS = 20_000;

  /** Static int8 clips this share of each layer's input values at each end. */
  static final double RANGE_QUANTILE = 1e-5;

  /**
   * What to build.
   *
   * @param pruneFractions e.g. 0.25, 0.5, 0.75
   * @param fineTuneEpochs epochs of fine-tuning after pruning (early stopping may end sooner)
   * @param studentHidden hidden widths of the distilled student; empty: half the base's
   * @param studentLatent the student's latent size; 0: the base's
   * @param distilEpochs maximum epochs of distillation
   * @param muWeight weight of matching the teacher's mu (only when the latent sizes match)
   * @param budget largest F1 drop against the baseline a deployable variant may have (labels)
   * @param minRankCorrelation smallest Spearman correlation with the baseline (no labels)
   * @param timingMillis time per batch size of the speed probe; 0: no speed measurement
   * @param timingPasses passes of the probe over all variants; each figure is the best of its
   *     passes
   * @param scorer the session options the variants are measured with (device, threads)
   */
  public record Settings(
      List<Double> pruneFractions,
      int fineTuneEpochs,
      List<Integer> studentHidden,
      int studentLatent,
      int distilEpochs,
      double muWeight,
      double budget,
      double minRankCorrelation,
      int timingMillis,
      int timingPasses,
      ScorerOptions scorer,
      long seed) {

    public Settings {
      pruneFractions = List.copyOf(pruneFractions);
      studentHidden = List.copyOf(studentHidden);
      Objects.requireNonNull(scorer, "scorer");
    }
  }

  /**
   * The rows.
   *
   * @param validation the validation table (labels when it has a label column)
   * @param fitWindows raw windows the variants are fine-tuned, distilled and calibrated on
   * @param fitSource where those came from, for the cards
   */
  public record Rows(CsvTable validation, double[][] fitWindows, String fitSource) {}

  /** Everything measured, and the chosen variant. */
  public record Report(List<Variant> variants, Variant deployed, boolean labelled, String rule) {}

  private final ModelCard base;
  private final VaeWeights weights;
  private final Precision basePrecision;
  private final Settings settings;
  private final SpeedMeasure speed;
  private final Path out;
  private final PrintWriter log;

  /**
   * @param speed measures a variant's speed (used when {@code settings.timingMillis() > 0})
   * @param out where the variants' directories go
   * @param log progress lines
   */
  public Optimizer(
      ModelCard base,
      VaeWeights weights,
      Precision basePrecision,
      Settings settings,
      SpeedMeasure speed,
      Path out,
      PrintWriter log) {
    this.base = base;
    this.weights = weights;
    this.basePrecision = basePrecision;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.speed = Objects.requireNonNull(speed, "speed");
    this.out = out;
    this.log = log;
  }

  public Report run(Rows rows) {
    VariantWriter writer = new VariantWriter(base, out, rows);
    float[][] fit = normalise(rows.fitWindows(), base.scaler());
    List<Variant> variants = new ArrayList<>();

    say(
        "baseline %s (%s, hidden %s, latent %d): fitting rows %d from %s",
        base.name(),
        basePrecision.id(),
        weights.hidden(),
        weights.latentDim(),
        fit.length,
        rows.fitSource());
    ActivationRanges baseRanges = ranges(weights, fit);
    String baseHow = "the base model's weights";
    variants.add(writer.write("fp32", null, weights, Precision.FP32, null, null, baseHow));
    variants.add(
        writer.write(
            "fp16w", "fp32", weights, Precision.FP16W, null, null, baseHow + ", stored as fp16"));
    variants.add(
        writer.write(
            "int8", "fp32", weights, Precision.INT8, null, null, baseHow + ", dynamic int8"));
    variants.add(
        writer.write(
            "int8-static",
            "fp32",
            weights,
            Precision.INT8_STATIC,
            baseRanges,
            null,
            baseHow + ", static int8 (QDQ)"));

    Map<String, Trained> compressed = new Compression(base, weights, settings, log).train(fit);
    for (Map.Entry<String, Trained> e : compressed.entrySet()) {
      String name = e.getKey();
      Trained t = e.getValue();
      VaeWeights w = t.result().weights();
      variants.add(writer.write(name, null, w, Precision.FP32, null, t, t.how()));
      variants.add(
          writer.write(
              name + "-int8", name, w, Precision.INT8, null, t, t.how() + ", dynamic int8"));
      variants.add(
          writer.write(
              name + "-int8-static",
              name,
              w,
              Precision.INT8_STATIC,
              ranges(w, fit),
              t,
              t.how() + ", static int8 (QDQ)"));
    }

    measureQuality(variants, rows.validation());
    if (settings.timingMillis() > 0) {
      measureSpeed(variants);
    }
    return DeploymentRule.decide(variants, rows.validation().labels() != null, settings);
  }

  /**
   * Training is over; the probes run one after another. Passes go over all variants in turn, so a
   * burst of load from elsewhere on a shared machine hits one pass of every variant rather than all
   * passes of one; each figure is the best over the passes (as within a probe: load only slows a
   * run down).
   */
  void measureSpeed(List<Variant> variants) {
    Map<String, List<Map<Integer, Double>>> passes = new LinkedHashMap<>();
    for (int pass = 1; pass <= Math.max(1, settings.timingPasses()); pass++) {
      for (Variant v : variants) {
        Map<Integer, Double> r =
            speed.measure(v.dir, v.precision, settings.scorer(), settings.timingMillis());
        passes.computeIfAbsent(v.name, k -> new ArrayList<>()).add(r);
        say("speed pass %d %-22s %s records/s", pass, v.name, r);
      }
    }
    for (Variant v : variants) {
      List<Map<Integer, Double>> runs = passes.get(v.name);
      Map<Integer, Double> best = new LinkedHashMap<>();
      for (int b : SPEED_BATCHES) {
        best.put(b, runs.stream().mapToDouble(m -> m.get(b)).max().orElseThrow());
      }
      v.recordsPerSecond = best;
    }
  }

  private static ActivationRanges ranges(VaeWeights w, float[][] fit) {
    float[][] sample = fit;
    if (fit.length > RANGE_ROWS) {
      sample = new float[RANGE_ROWS][];
      for (int i = 0; i < RANGE_ROWS; i++) {
        sample[i] = fit[(int) ((long) i * fit.length / RANGE_ROWS)];
      }
    }
    return ActivationRanges.measure(w, sample, RANGE_QUANTILE);
  }

  private void measureQuality(List<Variant> variants, CsvTable table) {
    int[] labels = table.labels();
    double[] baseline = null;
    for (Variant v : variants) {
      RowScores s;
      try (VaeScorer scorer = VaeScorer.open(v.dir, v.precision, settings.scorer())) {
        s = TableScorer.score(scorer, table.values(), table.entities());
      }
      int n = 0;
      for (boolean b : s.scored()) {
        n += b ? 1 : 0;
      }
      double[] raw = new double[n];
      boolean[] alert = new boolean[n];
      int[] lab = labels == null ? null : new int[n];
      for (int i = 0, k = 0; i < s.rows(); i++) {
        if (s.scored()[i]) {
          raw[k] = s.smoothed()[i]; // what the detector watches: ranks for ROC-AUC and Spearman
          alert[k] = s.alert()[i];
          if (lab != null) {
            lab[k] = labels[i];
          }
          k++;
        }
      }
      if (baseline == null) {
        baseline = raw;
      }
      v.spearman = RankCorrelation.spearman(baseline, raw);
      if (lab != null) {
        DetectionMetrics m = DetectionMetrics.of(lab, alert);
        v.f1 = m.f1();
        v.farPercent = m.farPercent();
        v.rocAuc = RocAuc.compute(raw, lab);
      }
    }
  }

  static float[][] normalise(double[][] windows, Scaler scaler) {
    int f = scaler.size();
    float[][] outRows = new float[windows.length][];
    for (int i = 0; i < windows.length; i++) {
      double[] w = windows[i];
      float[] r = new float[w.length];
      for (int j = 0; j < w.length; j++) {
        r[j] = (float) scaler.apply(j % f, w[j]);
      }
      outRows[i] = r;
    }
    return outRows;
  }

  /** Copies the deployed variant's directory to {@code target}. */
  public static void copyDir(Path from, Path target) {
    try {
      Files.createDirectories(target);
      try (var files = Files.list(from)) {
        for (Path f : files.toList()) {
          Files.copy(
              f,
              target.resolve(f.getFileName()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot copy " + from + " to " + target + ": " + e.getMessage(), e);
    }
  }

  private void say(String fmt, Object... args) {
    say(log, fmt, args);
  }

  static void say(PrintWriter log, String fmt, Object... args) {
    log.println(String.format(Locale.ROOT, fmt, args));
    log.flush();
  }
}
