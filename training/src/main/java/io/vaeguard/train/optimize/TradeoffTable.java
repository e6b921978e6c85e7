package io.vaeguard.train.optimize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trade-off table of an {@link Optimizer.Report}, as Markdown (for people) and JSON (for
 * tools).
 */
public final class TradeoffTable {

  public static final String MARKDOWN = "tradeoff.md";
  public static final String JSON = "tradeoff.json";

  private TradeoffTable() {}

  /**
   * The Markdown table: variants shown by the deployment rule, speed-ups against fp32 per batch
   * size.
   */
  public static String markdown(Optimizer.Report r, double budget) {
    Variant fp32 = r.variants().get(0);
    StringBuilder b = new StringBuilder();
    b.append(
        "| variant | precision | hidden | latent | file KB | records/s b1 | b64 | b1024 | speed-up vs fp32 b1 / b64 / b1024"
            + " | Spearman vs fp32 |");
    if (r.labelled()) {
      b.append(" ROC-AUC | F1 | F1 drop |");
    }
    b.append(" deploy |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
    if (r.labelled()) {
      b.append("---:|---:|---:|");
    }
    b.append("---|\n");
    for (Variant v : r.variants()) {
      if (!v.shownInTable) {
        continue;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %.1f | %s | %s | %s | %s / %s / %s | %.4f |",
              v.name,
              v.precision.id(),
              v.hidden.toString().replace(" ", ""),
              v.latent,
              v.fileBytes / 1024.0,
              rps(v.rps(1)),
              rps(v.rps(64)),
              rps(v.rps(1024)),
              ratio(v.rps(1), fp32.rps(1)),
              ratio(v.rps(64), fp32.rps(64)),
              ratio(v.rps(1024), fp32.rps(1024)),
              v.spearman));
      if (r.labelled()) {
        b.append(String.format(Locale.ROOT, " %.3f | %.3f | %+.3f |", v.rocAuc, v.f1, v.f1Drop));
      }
      b.append(v.deploy ? " **deploy** |" : v.withinBudget ? " within budget |" : " |")
          .append('\n');
    }
    List<String> hidden = new ArrayList<>();
    for (Variant v : r.variants()) {
      if (!v.shownInTable) {
        hidden.add(
            String.format(Locale.ROOT, "%s (%s records/s at b1024)", v.name, rps(v.rps(1024))));
      }
    }
    b.append('\n').append("Rule: ").append(r.rule()).append('.');
    if (!hidden.isEmpty()) {
      b.append(" Not shown, no faster than the float model they quantize: ")
          .append(String.join(", ", hidden))
          .append(" (in ")
          .append(JSON)
          .append(").");
    }
    b.append('\n');
    return b.toString();
  }

  /** Writes {@value #MARKDOWN} and {@value #JSON} to {@code out}. */
  public static void write(
      Optimizer.Report r, Path out, Map<String, Object> header, double budget) {
    Map<String, Object> json = new LinkedHashMap<>(header);
    json.put("rule", r.rule());
    json.put("deployed", r.deployed() == null ? null : r.deployed().name);
    List<Map<String, Object>> vs = new ArrayList<>();
    r.variants().forEach(v -> vs.add(v.toJson()));
    json.put("variants", vs);
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve(MARKDOWN), markdown(r, budget));
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve(JSON).toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the trade-off table to " + out + ": " + e.getMessage(), e);
    }
  }

  private static String rps(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.0f", v) : "n/a";
  }

  private static String ratio(double v, double base) {
    return Double.isFinite(v) && Double.isFinite(base) && base > 0
        ? String.format(Locale.ROOT, "%.2fx", v / base)
        : "n/a";
  }
}
