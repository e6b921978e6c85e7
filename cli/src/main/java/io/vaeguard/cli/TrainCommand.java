package io.vaeguard.cli;

import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import io.vaeguard.model.data.RowRange;
import io.vaeguard.train.ModelBuilder;
import io.vaeguard.train.TrainListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a VAE on a CSV file and write a model directory.",
      "",
      "Writes OUT/fp32/ and OUT/int8/ (by default), each with model.onnx and its card model.json.",
      "Train on normal data: the model learns what normal looks like."
    })
final class TrainCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE.csv",
      description = "Training data with a header row.")
  Path input;

  @Mixin CsvInput csv;

  @Option(
      names = "--features",
      split = ",",
      paramLabel = "a,b",
      description = "Feature columns, in model order (default: every numeric column).")
  List<String> features;

  @Option(
      names = "--exclude",
      split = ",",
      paramLabel = "a,b",
      description = "Numeric columns that are not features, e.g. labels.")
  List<String> exclude;

  @Option(
      names = "--rows",
      paramLabel = "FROM:TO",
      converter = RowRangeConverter.class,
      description = "Data rows to train on, 0-based, TO exclusive, e.g. 0:400 or :400.")
  RowRange rows;

  @Mixin ModelOptions model;

  @Option(
      names = "--precision",
      split = ",",
      defaultValue = "fp32,int8",
      paramLabel = "P,P",
      description = "ONNX variants to write: fp32, int8, fp16w (default: ${DEFAULT-VALUE}).")
  List<String> precisions;

  @Option(
      names = "--name",
      description = "Model name for the card (default: the output directory's name).")
  String name;

  @Option(
      names = "--model-version",
      paramLabel = "V",
      defaultValue = "1",
      description = "Model version for the card (default: ${DEFAULT-VALUE}).")
  String version;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output model directory.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    CsvOptions.Builder b = csv.builder(input);
    if (features != null && !features.isEmpty()) {
      b.features(features);
    }
    if (exclude != null && !exclude.isEmpty()) {
      b.exclude(exclude);
    }
    if (rows != null) {
      b.range(rows);
    }
    CsvTable table = CsvTable.read(input, b.build());
    o.printf(
        "read %d rows x %d features from %s: %s%n",
        table.rows(), table.width(), input, String.join(", ", table.features()));

    ModelBuilder.Request req =
        new ModelBuilder.Request(
            name != null ? name : out.toAbsolutePath().normalize().getFileName().toString(),
            version,
            input.getFileName() + (rows != null ? " rows " + rows : ""),
            table.features(),
            io.vaeguard.model.offline.Tables.segments(table),
            model.window,
            model.trainConfig(),
            model.detectorOptions(),
            model.klWeight,
            ModelOptions.precisions(precisions));
    ModelBuilder.Built built = ModelBuilder.build(req, out, progress(o, model.epochs));

    var t = built.training();
    o.printf(
        "trained %d epochs (best %d) on %d rows, %d held out: %.0f samples/s, %.1f s%n",
        t.epochsRun(),
        t.bestEpoch(),
        t.trainRows(),
        t.validationRows(),
        t.samplesPerSecond(),
        t.wallSeconds());
    for (Map.Entry<Precision, ModelCard> e : built.cards().entrySet()) {
      ModelCard c = e.getValue();
      o.printf(
          "wrote %s: threshold %s (%s; statistic %.4g), generalisation gap %.2f, export max abs diff %.2e%n",
          out.resolve(e.getKey().id()),
          c.threshold(),
          c.thresholdRule(),
          c.calibration().rawAt(c.threshold()),
          c.validation().getOrDefault("generalisationGap", 1.0),
          c.validation().get("exportMaxAbsDiff"));
    }
    return 0;
  }

  /** One line about every tenth of the run, so a long training shows it is alive. */
  static TrainListener progress(PrintWriter o, int maxEpochs) {
    int every = Math.max(1, maxEpochs / 10);
    return (epoch, max, trainLoss, valLoss) -> {
      if (epoch == 1 || epoch % every == 0) {
        o.printf(
            "  epoch %d/%d  train loss %.5f  validation loss %.5f%n",
            epoch, max, trainLoss, valLoss);
        o.flush();
      }
    };
  }
}
