package io.vaeguard.train.optimize;

import io.vaeguard.model.Precision;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCard.TrainingSummary;
import io.vaeguard.model.card.Scaler;
import io.vaeguard.model.compress.Pruning;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorOptions;
import io.vaeguard.model.eval.DetectionMetrics;
import io.vaeguard.model.eval.RankCorrelation;
import io.vaeguard.model.eval.RocAuc;
import io.vaeguard.model.export.VaeOnnxExporter;
import io.vaeguard.model.offline.RowScores;
import io.vaeguard.model.offline.TableScorer;
import io.vaeguard.model.quantize.ActivationRanges;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.train.ModelBuilder;
import io.vaeguard.train.TrainConfig;
import io.vaeguard.train.TrainListener;
import io.vaeguard.train.TrainResult;
import io.vaeguard.train.TrainTargets;
import io.vaeguard.train.VaeOutputs;
import io.vaeguard.train.VaeTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    DetectorOptions rule = Detector.specOf(base).options(base.persistence());
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
    variants.add(write("fp32", null, weights, Precision.FP32, null, null, baseHow, rows, rule));
    variants.add(
        write(
            "fp16w",
            "fp32",
            weights,
            Precision.FP16W,
            null,
            null,
            baseHow + ", stored as fp16",
            rows,
            rule));
    variants.add(
        write(
            "int8",
            "fp32",
            weights,
            Precision.INT8,
            null,
            null,
            baseHow + ", dynamic int8",
            rows,
            rule));
    variants.add(
        write(
            "int8-static",
            "fp32",
            weights,
            Precision.INT8_STATIC,
            baseRanges,
            null,
            baseHow + ", static int8 (QDQ)",
            rows,
            rule));

    Map<String, Trained> compressed = new LinkedHashMap<>();
    for (double f : settings.pruneFractions()) {
      String name = "pruned-" + Math.round(100 * f);
      VaeWeights pruned = Pruning.prune(weights, f);
      TrainConfig cfg =
          trainConfig(settings.fineTuneEpochs(), Math.max(2, settings.fineTuneEpochs() / 3))
              .initialWeights(pruned)
              .build();
      TrainResult r = VaeTrainer.train(fit, cfg, TrainListener.NONE);
      say(
          "%s: hidden %s, fine-tuned %d epochs (best %d) in %.1f s",
          name, r.weights().hidden(), r.epochsRun(), r.bestEpoch(), r.wallSeconds());
      compressed.put(
          name,
          new Trained(
              r,
              cfg,
              String.format(
                  Locale.ROOT,
                  "%d%% of each hidden layer's units removed by weight norm, fine-tuned %d epochs",
                  Math.round(100 * f),
                  r.epochsRun())));
    }
    List<Integer> studentHidden =
        settings.studentHidden().isEmpty()
            ? weights.hidden().stream().map(h -> Math.max(1, h / 2)).toList()
            : settings.studentHidden();
    int studentLatent =
        settings.studentLatent() > 0 ? settings.studentLatent() : weights.latentDim();
    if (settings.distilEpochs() > 0) {
      VaeOutputs teacher = VaeTrainer.forward(weights, fit);
      double muWeight = studentLatent == weights.latentDim() ? settings.muWeight() : 0;
      TrainConfig cfg =
          trainConfig(settings.distilEpochs(), 10)
              .hidden(studentHidden)
              .latent(studentLatent)
              .build();
      TrainResult r =
          VaeTrainer.train(fit, TrainTargets.of(teacher, muWeight), cfg, TrainListener.NONE);
      say(
          "distilled: hidden %s latent %d, %d epochs (best %d) in %.1f s",
          studentHidden, studentLatent, r.epochsRun(), r.bestEpoch(), r.wallSeconds());
      compressed.put(
          "distilled",
          new Trained(
              r,
              cfg,
              String.format(
                  Locale.ROOT,
                  "student trained %d epochs on the base model's reconstruction%s",
                  r.epochsRun(),
                  muWeight > 0 ? " and mu" : "")));
    }
    for (Map.Entry<String, Trained> e : compressed.entrySet()) {
      String name = e.getKey();
      Trained t = e.getValue();
      VaeWeights w = t.result.weights();
      variants.add(write(name, null, w, Precision.FP32, null, t, t.how, rows, rule));
      variants.add(
          write(
              name + "-int8",
              name,
              w,
              Precision.INT8,
              null,
              t,
              t.how + ", dynamic int8",
              rows,
              rule));
      variants.add(
          write(
              name + "-int8-static",
              name,
              w,
              Precision.INT8_STATIC,
              ranges(w, fit),
              t,
              t.how + ", static int8 (QDQ)",
              rows,
              rule));
    }

    measureQuality(variants, rows.validation());
    if (settings.timingMillis() > 0) {
      measureSpeed(variants);
    }
    return decide(variants, rows.validation().labels() != null, settings);
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

  /** Fine-tuned or distilled weights with the run that made them. */
  private record Trained(TrainResult result, TrainConfig cfg, String how) {}

  private TrainConfig.Builder trainConfig(int epochs, int patience) {
    TrainingSummary t = base.training();
    TrainConfig.Builder b =
        TrainConfig.builder().epochs(epochs).patience(patience).seed(settings.seed());
    if (t != null) {
      b.batchSize(t.batchSize() > 0 ? t.batchSize() : 64);
      if (t.learningRate() > 0) {
        b.learningRate(t.learningRate());
      }
      b.beta(t.beta());
    }
    return b;
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

  /** Writes one variant's directory: ONNX file, then its card with a refitted calibration. */
  private Variant write(
      String name,
      String parent,
      VaeWeights w,
      Precision p,
      ActivationRanges ranges,
      Trained t,
      String how,
      Rows rows,
      DetectorOptions rule) {
    Path dir = out.resolve(name);
    TrainingSummary training = base.training();
    if (t != null) {
      TrainResult r = t.result;
      training =
          new TrainingSummary(
              "optimize (" + name.replaceAll("-int8.*", "") + ") on " + rows.fitSource(),
              r.trainRows(),
              r.validationRows(),
              t.cfg.seed(),
              t.cfg.epochs(),
              r.epochsRun(),
              t.cfg.batchSize(),
              t.cfg.learningRate(),
              t.cfg.beta(),
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

  /**
   * The deployment rule. A variant is within budget when its F1 is at most {@code budget} below the
   * baseline's (with labels), or its rank correlation with the baseline is at least {@code
   * minRankCorrelation} (without). The baseline itself is a candidate, so every budget >= 0 is met.
   * Static int8 variants and the quantized pruned or distilled ones are shown in the table only
   * where they are faster at batch 1024 than the float model they quantize (the JSON keeps them
   * all); fp16w and the base model's dynamic int8 are always shown. Among the shown variants within
   * budget, the fastest at batch 1024 is deployed (without speed figures: the smallest file).
   */
  static Report decide(List<Variant> variants, boolean labelled, Settings settings) {
    Variant baseline = variants.get(0);
    Map<String, Variant> byName = new LinkedHashMap<>();
    variants.forEach(v -> byName.put(v.name, v));
    for (Variant v : variants) {
      if (labelled) {
        v.f1Drop = baseline.f1 - v.f1;
        v.withinBudget = v.f1Drop <= settings.budget() + 1e-12;
      } else {
        v.withinBudget = v.spearman >= settings.minRankCorrelation() - 1e-12;
      }
      boolean onProbation =
          v.precision == Precision.INT8_STATIC || (v.parent != null && !v.parent.equals("fp32"));
      if (onProbation && settings.timingMillis() > 0) {
        v.shownInTable = v.rps(1024) > byName.get(v.parent).rps(1024);
      }
    }
    Variant best = null;
    for (Variant v : variants) {
      if (!v.shownInTable || !v.withinBudget) {
        continue;
      }
      if (best == null || better(v, best, settings)) {
        best = v;
      }
    }
    String rule =
        labelled
            ? "F1 at most "
                + settings.budget()
                + " below the baseline's (fp32); the fastest at batch 1024 of those"
            : "Spearman correlation with the baseline's (fp32) raw scores >= "
                + settings.minRankCorrelation()
                + "; the fastest at batch 1024 of those";
    if (best != null) {
      best.deploy = true;
    }
    return new Report(variants, best, labelled, rule);
  }

  private static boolean better(Variant a, Variant b, Settings settings) {
    if (settings.timingMillis() > 0) {
      return a.rps(1024) > b.rps(1024);
    }
    return a.fileBytes < b.fileBytes;
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
    log.println(String.format(Locale.ROOT, fmt, args));
    log.flush();
  }
}
