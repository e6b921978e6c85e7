package io.vaeguard.train.optimize;

import io.vaeguard.model.Precision;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One compressed variant and what was measured on it. Filled in stages (build, quality, speed,
 * decision) by {@link Optimizer}; the fields are the JSON report's.
 */
public final class Variant {

  /** Directory name under the output, e.g. {@code pruned-50-int8}. */
  final String name;

  /** The float variant this one quantizes, or null for a float variant. */
  final String parent;

  final Precision precision;
  final Path dir;
  final List<Integer> hidden;
  final int latent;
  final long fileBytes;

  /** What was done to the weights, for people. */
  final String how;

  Map<Integer, Double> recordsPerSecond = new LinkedHashMap<>();
  double spearman = Double.NaN;
  double rocAuc = Double.NaN;
  double f1 = Double.NaN;
  double farPercent = Double.NaN;
  double f1Drop = Double.NaN;
  boolean withinBudget;
  boolean shownInTable = true;
  boolean deploy;

  Variant(
      String name,
      String parent,
      Precision precision,
      Path dir,
      List<Integer> hidden,
      int latent,
      long fileBytes,
      String how) {
    this.name = name;
    this.parent = parent;
    this.precision = precision;
    this.dir = dir;
    this.hidden = List.copyOf(hidden);
    this.latent = latent;
    this.fileBytes = fileBytes;
    this.how = how;
  }

  public String name() {
    return name;
  }

  public Path dir() {
    return dir;
  }

  public boolean deploy() {
    return deploy;
  }

  public double f1() {
    return f1;
  }

  public double spearman() {
    return spearman;
  }

  public Precision precision() {
    return precision;
  }

  public List<Integer> hidden() {
    return hidden;
  }

  public int latent() {
    return latent;
  }

  /** Records/s at {@code batch}, NaN when not measured. */
  public double rps(int batch) {
    return recordsPerSecond.getOrDefault(batch, Double.NaN);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("parent", parent);
    m.put("precision", precision.id());
    m.put("directory", dir.toString());
    m.put("how", how);
    m.put("hidden", hidden);
    m.put("latentDim", latent);
    m.put("fileBytes", fileBytes);
    Map<String, Double> rps = new LinkedHashMap<>();
    recordsPerSecond.forEach((b, r) -> rps.put(String.valueOf(b), r));
    m.put("recordsPerSecond", rps);
    m.put("spearmanVsBaseline", finite(spearman));
    m.put("rocAuc", finite(rocAuc));
    m.put("f1", finite(f1));
    m.put("farPercent", finite(farPercent));
    m.put("f1Drop", finite(f1Drop));
    m.put("withinBudget", withinBudget);
    m.put("shownInTable", shownInTable);
    m.put("deploy", deploy);
    return m;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
