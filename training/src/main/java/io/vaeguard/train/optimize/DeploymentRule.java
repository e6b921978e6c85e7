package io.vaeguard.train.optimize;

import io.vaeguard.model.Precision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment rule. A variant is within budget when its F1 is at most {@code budget} below the
 * baseline's (with labels), or its rank correlation with the baseline is at least {@code
 * minRankCorrelation} (without). The baseline itself is a candidate, so every budget >= 0 is met.
 * Static int8 variants and the quantized pruned or distilled ones are shown in the table only where
 * they are faster at batch 1024 than the float model they quantize (the JSON keeps them all); fp16w
 * and the base model's dynamic int8 are always shown. Among the shown variants within budget, the
 * fastest at batch 1024 is deployed (without speed figures: the smallest file).
 */
final class DeploymentRule {

  private DeploymentRule() {}

  /** Marks each variant within budget, shown and deployed; the first is the baseline. */
  static Optimizer.Report decide(
      List<Variant> variants, boolean labelled, Optimizer.Settings settings) {
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
    return new Optimizer.Report(variants, best, labelled, rule);
  }

  private static boolean better(Variant a, Variant b, Optimizer.Settings settings) {
    if (settings.timingMillis() > 0) {
      return a.rps(1024) > b.rps(1024);
    }
    return a.fileBytes < b.fileBytes;
  }
}
