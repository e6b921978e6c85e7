package io.vaeguard.cli.offline;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.offline.RowScores;
import io.vaeguard.model.offline.TableScorer;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Tennessee Eastman fault-detection protocol: fit one model on d00.dat (normal operation) with
 * the same builder and settings as a {@link io.vaeguard.model.offline.Backtest} fits per file, then
 * score each test file d00_te.dat .. d21_te.dat causally from its first row, one file at a time (so
 * no window reaches back into another file), and count the alerts before and after each fault
 * starts.
 */
public final class TepProtocol {

  private final ModelRecipe recipe;
  private final Path out;

  /** What a run produced: the figures, the model's card, and how long it took. */
  public record Outcome(
      TepResult result,
      ModelCard card,
      int epochs,
      double trainSeconds,
      double seconds,
      io.vaeguard.model.eval.BandPrecision bands) {}

  public TepProtocol(ModelRecipe recipe, Path out) {
    this.recipe = recipe;
    this.out = out;
  }

  /** Where the model fitted on d00.dat goes. */
  public Path modelDir() {
    return out.resolve("model");
  }

  /**
   * Runs the protocol on the files in {@code data}, printing a line per step to {@code progress}.
   */
  public Outcome run(Path data, PrintWriter progress) {
    long start = System.nanoTime();
    TepData.requireFiles(data);
    double[][] normal = TepData.read(data.resolve(TepData.TRAIN_FILE));
    int epochs =
        recipe.build(
            "tep-d00",
            data.resolve(TepData.TRAIN_FILE) + " (" + normal.length + " samples)",
            TepData.features(),
            List.<double[][]>of(normal),
            modelDir());
    double trainSeconds = (System.nanoTime() - start) / 1e9;
    progress.printf(
        Locale.ROOT,
        "fitted on %s: %d samples, %d epochs, %.1f s%n",
        TepData.TRAIN_FILE,
        normal.length,
        epochs,
        trainSeconds);
    progress.flush();

    List<boolean[]> decisions = new ArrayList<>();
    io.vaeguard.model.eval.BandPrecision bands = io.vaeguard.model.eval.BandPrecision.EMPTY;
    ModelCard card;
    try (VaeScorer scorer =
        VaeScorer.open(modelDir(), recipe.precision(), ScorerOptions.defaults())) {
      card = scorer.card();
      for (int k = 0; k <= TepData.LAST_FAULT; k++) {
        String name = TepData.testFile(k);
        double[][] rows = TepData.read(data.resolve(name));
        if (k > 0 && rows.length <= TepResult.FAULT_START) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "%s has %d samples: fault %d starts after sample %d",
                  data.resolve(name),
                  rows.length,
                  k,
                  TepResult.FAULT_START));
        }
        RowScores scores = TableScorer.score(scorer, rows, null);
        decisions.add(TepResult.decisions(scores));
        int[] labels = new int[rows.length];
        for (int i = TepResult.FAULT_START; k > 0 && i < rows.length; i++) {
          labels[i] = 1;
        }
        bands = bands.plus(io.vaeguard.model.eval.BandPrecision.of(scores.severity(), labels));
      }
    }
    TepResult result = TepResult.of(decisions);
    progress.printf(
        Locale.ROOT,
        "%-12s %d samples: false alarms %5.1f%%%n",
        TepData.testFile(0),
        result.normal().rows(),
        result.normal().percent());
    for (TepResult.Fault f : result.faults()) {
      progress.printf(
          Locale.ROOT,
          "%-12s fault %2d: detection %5.1f%%  false alarms (first %d) %5.1f%%%n",
          TepData.testFile(f.k()),
          f.k(),
          f.detectionPercent(),
          TepResult.FAULT_START,
          f.falseAlarmPercent());
    }
    progress.flush();
    return new Outcome(
        result, card, epochs, trainSeconds, (System.nanoTime() - start) / 1e9, bands);
  }
}
