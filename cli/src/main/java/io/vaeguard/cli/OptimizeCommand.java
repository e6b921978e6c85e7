package io.vaeguard.cli;

import io.vaeguard.cli.optimize.SpeedProbe;
import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.data.RowRange;
import io.vaeguard.model.data.Windows;
import io.vaeguard.model.export.OnnxWeightsReader;
import io.vaeguard.model.offline.TableScorer;
import io.vaeguard.train.optimize.Optimizer;
import io.vaeguard.train.optimize.TradeoffTable;
import io.vaeguard.train.optimize.Variant;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "optimize",
    mixinStandardHelpOptions = true,
    description = {
      "Compress a trained model and pick the variant to deploy.",
      "",
      "Writes to OUT one model directory per variant (fp32, fp16w, int8, int8-static, pruned-25/50/75,",
      "distilled, and the pruned and distilled ones in int8 and int8-static), each with its own calibration",
      "and threshold refitted by the base card's rule; measures file size, records/s at batch 1, 64 and 1024",
      "(in a fresh JVM per variant), Spearman correlation of raw scores with fp32 on the validation rows, and",
      "ROC-AUC and F1 with --label-column; writes tradeoff.md and tradeoff.json and copies the variant to",
      "deploy to OUT/deploy: the fastest at batch 1024 whose F1 is at most --budget below fp32's (without",
      "labels: whose rank correlation is at least --min-rank-correlation). A budget no variant meets is",
      "refused with exit code 2."
    })
final class OptimizeCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "Trained model: a directory with model.json and model.onnx, or one with a sub-directory per precision.")
  String model;

  @Option(
      names = "--precision-base",
      defaultValue = "fp32",
      paramLabel = "P",
      description =
          "The variant whose weights are compressed: fp32 or fp16w (default: ${DEFAULT-VALUE}).")
  String precisionBase;

  @Option(
      names = "--validation",
      required = true,
      paramLabel = "FILE.csv",
      description = "Rows to measure every variant on; must have the model's feature columns.")
  Path validation;

  @Option(
      names = "--validation-rows",
      paramLabel = "FROM:TO",
      converter = RowRangeConverter.class,
      description =
          "Rows of --validation to measure on, 0-based, TO exclusive, e.g. 400: (the first window-1 rows of "
              + "each entity then have no full window and are not scored).")
  RowRange validationRows;

  @Option(
      names = "--label-column",
      paramLabel = "NAME",
      description = "0/1 column marking anomalous rows: adds ROC-AUC and F1.")
  String labelColumn;

  @Option(
      names = "--budget",
      defaultValue = "0.01",
      paramLabel = "F1DROP",
      description =
          "Largest F1 drop against fp32 a deployable variant may have, in F1 points (default: ${DEFAULT-VALUE}).")
  double budget;

  @Option(
      names = "--min-rank-correlation",
      defaultValue = "0.99",
      paramLabel = "R",
      description =
          "Without labels: smallest Spearman correlation with fp32's raw scores to deploy (default: ${DEFAULT-VALUE}).")
  double minRankCorrelation;

  @Option(
      names = "--train-data",
      paramLabel = "FILE.csv",
      description =
          "Normal rows to fine-tune, distil and calibrate on, e.g. the training file (default: the validation "
              + "rows, without those labelled anomalous).")
  Path trainData;

  @Option(
      names = "--train-rows",
      paramLabel = "FROM:TO",
      converter = RowRangeConverter.class,
      description = "Rows of --train-data to use, 0-based, TO exclusive.")
  RowRange trainRows;

  @Option(
      names = "--prune",
      split = ",",
      defaultValue = "0.25,0.5,0.75",
      paramLabel = "F,F",
      description = "Shares of hidden units to remove (default: ${DEFAULT-VALUE}).")
  List<Double> prune;

  @Option(
      names = "--fine-tune-epochs",
      defaultValue = "10",
      paramLabel = "N",
      description = "Epochs of fine-tuning after pruning (default: ${DEFAULT-VALUE}).")
  int fineTuneEpochs;

  @Option(
      names = "--student-hidden",
      split = ",",
      paramLabel = "H1,H2",
      description = "Hidden widths of the distilled student (default: half of the model's).")
  List<Integer> studentHidden;

  @Option(
      names = "--student-latent",
      defaultValue = "0",
      paramLabel = "K",
      description =
          "Latent size of the student (default: the model's; then it also learns the model's mu).")
  int studentLatent;

  @Option(
      names = "--distil-epochs",
      defaultValue = "100",
      paramLabel = "N",
      description =
          "Maximum epochs of distillation, early stopping after 10 without progress; 0 skips it (default: ${DEFAULT-VALUE}).")
  int distilEpochs;

  @Option(
      names = "--mu-weight",
      defaultValue = "1.0",
      paramLabel = "W",
      description =
          "Weight of matching the model's mu while distilling (default: ${DEFAULT-VALUE}).")
  double muWeight;

  @Option(
      names = "--timing-ms",
      defaultValue = "1500",
      paramLabel = "MS",
      description =
          "Time per batch size in each variant's speed probe; 0 skips speed (default: ${DEFAULT-VALUE}).")
  int timingMillis;

  @Option(
      names = "--timing-passes",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Passes of the speed probe over all variants; each figure is the best pass (default: ${DEFAULT-VALUE}).")
  int timingPasses;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seed of fine-tuning and distillation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin CsvInput csv;

  @Mixin ScorerFlags scorerFlags;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    if (!(budget >= 0)) {
      throw new UserError(
          String.format(
              Locale.ROOT,
              "budget %s cannot be met: no variant can score a higher F1 "
                  + "than fp32 by definition of the drop, so the budget must be >= 0",
              budget));
    }
    if (!(minRankCorrelation <= 1) || minRankCorrelation < -1) {
      throw new UserError(
          "--min-rank-correlation "
              + minRankCorrelation
              + " cannot be met: a correlation lies in [-1, 1]");
    }
    for (double f : prune) {
      if (!(f > 0 && f < 1)) {
        throw new UserError("--prune shares must lie in (0, 1), got " + f);
      }
    }
    Precision basePrecision = Precision.parse(precisionBase);
    if (basePrecision != Precision.FP32 && basePrecision != Precision.FP16W) {
      throw new UserError(
          "--precision-base must be fp32 or fp16w (quantized weights are rounded), got "
              + precisionBase);
    }
    ModelRef.Resolved base = ModelRef.parse(model, basePrecision, "--model").resolve();
    ModelCard card = base.card();
    String baseDir = base.where();
    VaeWeights weights =
        base.onnxFile() != null
            ? OnnxWeightsReader.read(base.onnxFile())
            : OnnxWeightsReader.read(base.onnxBytes(), baseDir + "/" + base.onnxName());

    CsvOptions.Builder vb = csv.builder(validation).features(card.features());
    if (labelColumn != null) {
      vb.labelColumn(labelColumn);
    }
    if (validationRows != null) {
      vb.range(validationRows);
    }
    CsvTable table = CsvTable.read(validation, vb.build());
    double[][] fit;
    String fitSource;
    if (trainData != null) {
      CsvOptions.Builder tb = csv.builder(trainData).features(card.features());
      if (trainRows != null) {
        tb.range(trainRows);
      }
      CsvTable t = CsvTable.read(trainData, tb.build());
      fit = windows(t, card.window(), false);
      fitSource = trainData.getFileName() + (trainRows != null ? " rows " + trainRows : "");
    } else {
      fit = windows(table, card.window(), true);
      fitSource =
          validation.getFileName() + (table.labels() != null ? " (rows labelled normal)" : "");
    }
    if (fit.length < 20) {
      throw new UserError(
          "too few fitting rows ("
              + fit.length
              + " full windows) to fine-tune and calibrate on; give "
              + "--train-data");
    }
    o.printf(
        Locale.ROOT,
        "optimizing %s: %d validation rows from %s, %d fitting windows from %s%n",
        baseDir,
        table.rows(),
        validation,
        fit.length,
        fitSource);
    o.flush();

    Optimizer.Settings settings =
        new Optimizer.Settings(
            prune,
            fineTuneEpochs,
            studentHidden == null ? List.of() : studentHidden,
            studentLatent,
            distilEpochs,
            muWeight,
            budget,
            minRankCorrelation,
            timingMillis,
            timingPasses,
            scorerFlags.options(),
            seed);
    Optimizer.Report report =
        new Optimizer(card, weights, basePrecision, settings, SpeedProbe::inChildJvm, out, o)
            .run(new Optimizer.Rows(table, fit, fitSource));

    Map<String, Object> header = new LinkedHashMap<>();
    header.put(
        "command",
        "vaeguard " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    header.put("model", baseDir);
    header.put("validation", validation.toString());
    header.put("labelColumn", labelColumn);
    header.put("budget", budget);
    header.put("minRankCorrelation", minRankCorrelation);
    header.put(
        "machine",
        String.format(
            Locale.ROOT,
            "%s %s, %d cores, Java %s, device %s, %d ONNX Runtime thread(s)",
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            scorerFlags.device,
            scorerFlags.threads));
    TradeoffTable.write(report, out, header, budget);
    o.println();
    o.print(TradeoffTable.markdown(report, budget));
    o.flush();
    Variant chosen = report.deployed();
    if (chosen == null) {
      throw new UserError(
          report.labelled()
              ? String.format(
                  Locale.ROOT,
                  "no variant meets the budget: none has F1 within %.4g of fp32's (%.3f); "
                      + "see %s",
                  budget,
                  report.variants().get(0).f1(),
                  out.resolve(TradeoffTable.MARKDOWN))
              : String.format(
                  Locale.ROOT,
                  "no variant meets the budget: none correlates with fp32 at >= %.4g; see %s",
                  minRankCorrelation,
                  out.resolve(TradeoffTable.MARKDOWN)));
    }
    Path deploy = out.resolve("deploy");
    Optimizer.copyDir(chosen.dir(), deploy);
    o.printf(
        Locale.ROOT,
        "%ndeploy: %s (%s) -> %s; serve it with: vaeguard score --model %s --precision %s ...%n",
        chosen.name(),
        chosen.precision().id(),
        deploy,
        deploy,
        chosen.precision().id());
    return 0;
  }

  /**
   * Raw windows of every entity's rows in file order; with {@code normalOnly}, only windows whose
   * rows are all labelled normal (when the table has labels).
   */
  static double[][] windows(CsvTable t, int window, boolean normalOnly) {
    List<double[]> out = new ArrayList<>();
    int[] labels = normalOnly ? t.labels() : null;
    for (int[] idx : TableScorer.groupByEntity(t.rows(), t.entities())) {
      if (idx.length < window) {
        continue;
      }
      double[][] seg = new double[idx.length][];
      for (int i = 0; i < idx.length; i++) {
        seg[i] = t.values()[idx[i]];
      }
      double[][] w = Windows.of(seg, window);
      for (int i = 0; i < w.length; i++) {
        boolean clean = true;
        for (int k = 0; labels != null && k < window; k++) {
          clean &= labels[idx[i + k]] == 0;
        }
        if (clean) {
          out.add(w[i]);
        }
      }
    }
    return out.toArray(double[][]::new);
  }
}
