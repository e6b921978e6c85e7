package io.vaeguard.bench.pipeline;

import io.vaeguard.bench.report.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's report, filled as the runs go: written as {@code pipeline.json} (everything) and
 * {@code pipeline.md} (the tables), again after each stage so that a later failure keeps what was
 * measured.
 */
final class PipelineReport {

  private final Path out;
  private final long records;
  private final Map<String, Object> report = new LinkedHashMap<>();

  PipelineReport(Path out, long records) {
    this.out = out;
    this.records = records;
  }

  void put(String key, Object value) {
    report.put(key, value);
  }

  Path markdownFile() {
    return out.resolve("pipeline.md");
  }

  @SuppressWarnings("unchecked")
  void write() {
    Json.write(out.resolve("pipeline.json"), report);
    StringBuilder md = new StringBuilder();
    Map<String, Object> pre = (Map<String, Object>) report.get("preload");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d records; pre-load %.1f s (%,.0f records/s); machine %s, %s cores, load %s%n%n",
            records,
            pre == null ? Double.NaN : (double) pre.get("seconds"),
            pre == null ? Double.NaN : (double) pre.get("recordsPerSecond"),
            ((Map<String, Object>) report.get("machine")).get("cpu"),
            ((Map<String, Object>) report.get("machine")).get("cores"),
            ((Map<String, Object>) report.get("machine")).get("loadAverage")));
    List<Map<String, Object>> tp = (List<Map<String, Object>>) report.get("throughput");
    if (tp != null) {
      throughput(md, tp, (Map<String, Object>) report.get("ratios"));
    }
    Map<String, Object> lat = (Map<String, Object>) report.get("latency");
    if (lat != null) {
      latency(md, (List<Map<String, Object>>) lat.get("levels"));
    }
    Json.writeText(markdownFile(), md.toString());
  }

  private static void throughput(
      StringBuilder md, List<Map<String, Object>> tp, Map<String, Object> ratios) {
    md.append(
            "| variant | records/s | output span s | job runtime s | records/s over job runtime | outputs | load before |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Map<String, Object> r : tp) {
      md.append(
          String.format(
              Locale.ROOT,
              "| (%s) %s | %,.0f | %.2f | %.2f | %,.0f | %,d | %s |%n",
              r.get("variant"),
              r.get("description"),
              (double) r.get("recordsPerSecond"),
              (double) r.get("outputSpanSeconds"),
              (double) r.get("jobNetRuntimeSeconds"),
              (double) r.get("recordsPerSecondOverJobRuntime"),
              (long) r.get("outputRecords"),
              r.get("loadAverageBefore")));
    }
    if (ratios != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%n(b)/(a) = %.2f (target >= 0.85); (b)/(d) = %.1f (target >= 5); "
                  + "(c)/(b) = %.2f%n",
              (double) ratios.get("b_over_a"),
              (double) ratios.get("b_over_d"),
              (double) ratios.get("c_over_b")));
    }
  }

  private static void latency(StringBuilder md, List<Map<String, Object>> levels) {
    md.append(
            "\n| load | target records/s | sent records/s | measured | p50 ms | p95 ms | p99 ms | max ms |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map<String, Object> m : levels) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %.0f%% | %,.0f | %,.0f | %,d | %s | %s | %s | %s |%n",
              100 * (double) m.get("loadFraction"),
              (double) m.get("targetRecordsPerSecond"),
              (double) m.get("sentRecordsPerSecondInWindow"),
              (int) m.get("recordsMeasured"),
              m.get("p50Millis"),
              m.get("p95Millis"),
              m.get("p99Millis"),
              m.get("maxMillis")));
    }
  }
}
