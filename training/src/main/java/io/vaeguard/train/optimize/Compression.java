package io.vaeguard.train.optimize;

import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCard.TrainingSummary;
import io.vaeguard.model.compress.Pruning;
import io.vaeguard.train.TrainConfig;
import io.vaeguard.train.TrainListener;
import io.vaeguard.train.TrainResult;
import io.vaeguard.train.TrainTargets;
import io.vaeguard.train.VaeOutputs;
import io.vaeguard.train.VaeTrainer;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The smaller weights the optimizer tries besides the base model's: the base weights pruned by each
 * fraction and fine-tuned, then a distilled student. Both train on the fitting rows with the base
 * model's batch size, learning rate and beta (from its card) and the optimizer's seed, so that a
 * variant's quality tells about its size, not about other training settings.
 */
final class Compression {

  private final ModelCard base;
  private final VaeWeights weights;
  private final Optimizer.Settings settings;
  private final PrintWriter log;

  Compression(ModelCard base, VaeWeights weights, Optimizer.Settings settings, PrintWriter log) {
    this.base = base;
    this.weights = weights;
    this.settings = settings;
    this.log = log;
  }

  /** {@code pruned-P} for each fraction, then {@code distilled} (unless no epochs), by name. */
  Map<String, Trained> train(float[][] fit) {
    Map<String, Trained> compressed = new LinkedHashMap<>();
    for (double f : settings.pruneFractions()) {
      String name = "pruned-" + Math.round(100 * f);
      VaeWeights pruned = Pruning.prune(weights, f);
      TrainConfig cfg =
          trainConfig(settings.fineTuneEpochs(), Math.max(2, settings.fineTuneEpochs() / 3))
              .initialWeights(pruned)
              .build();
      TrainResult r = VaeTrainer.train(fit, cfg, TrainListener.NONE);
      Optimizer.say(
          log,
          "%s: hidden %s, fine-tuned %d epochs (best %d) in %.1f s",
          name,
          r.weights().hidden(),
          r.epochsRun(),
          r.bestEpoch(),
          r.wallSeconds());
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
    if (settings.distilEpochs() > 0) {
      compressed.put("distilled", distil(fit));
    }
    return compressed;
  }

  /**
   * A student of the configured shape (default: half the base's widths, its latent size) trained on
   * the base model's reconstruction, and on its mu when the latent sizes match.
   */
  private Trained distil(float[][] fit) {
    List<Integer> studentHidden =
        settings.studentHidden().isEmpty()
            ? weights.hidden().stream().map(h -> Math.max(1, h / 2)).toList()
            : settings.studentHidden();
    int studentLatent =
        settings.studentLatent() > 0 ? settings.studentLatent() : weights.latentDim();
    VaeOutputs teacher = VaeTrainer.forward(weights, fit);
    double muWeight = studentLatent == weights.latentDim() ? settings.muWeight() : 0;
    TrainConfig cfg =
        trainConfig(settings.distilEpochs(), 10)
            .hidden(studentHidden)
            .latent(studentLatent)
            .build();
    TrainResult r =
        VaeTrainer.train(fit, TrainTargets.of(teacher, muWeight), cfg, TrainListener.NONE);
    Optimizer.say(
        log,
        "distilled: hidden %s latent %d, %d epochs (best %d) in %.1f s",
        studentHidden,
        studentLatent,
        r.epochsRun(),
        r.bestEpoch(),
        r.wallSeconds());
    return new Trained(
        r,
        cfg,
        String.format(
            Locale.ROOT,
            "student trained %d epochs on the base model's reconstruction%s",
            r.epochsRun(),
            muWeight > 0 ? " and mu" : ""));
  }

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
}
