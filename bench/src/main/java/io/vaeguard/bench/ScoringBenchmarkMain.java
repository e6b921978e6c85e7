package io.vaeguard.bench;

import io.vaeguard.bench.ceiling.LayerShapes;
import io.vaeguard.bench.report.Charts;
import io.vaeguard.bench.report.Json;
import io.vaeguard.bench.report.Machine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code vaeguard bench scoring}: runs {@link ScoringBenchmark} (raw float rows), {@link
 * ObservationScoringBenchmark} (from Avro records) and {@link MatMulCeilingBenchmark} (the GEMM
 * ceiling) and writes to {@code --out} (default {@code work/bench/scoring}): {@code jmh.json}
 * (JMH's own), {@code summary.json}, {@code summary.md} and {@code records-per-second.png}. {@code
 * --quick} runs fewer, shorter iterations on batch 1, 64, 1024 and 4096 with one thread; any other
 * argument goes to JMH (e.g. {@code -p batch=1,1024}).
 */
public final class ScoringBenchmarkMain {

  static final String SCORING = "io.vaeguard.bench.ScoringBenchmark.score";
  static final String FROM_OBSERVATIONS =
      "io.vaeguard.bench.ObservationScoringBenchmark.fromObservations";
  static final String FROM_BYTES = "io.vaeguard.bench.ObservationScoringBenchmark.fromBytes";
  static final String CEILING = "io.vaeguard.bench.MatMulCeilingBenchmark.matmuls";

  private ScoringBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    boolean quick = false;
    Path out = Path.of("work", "bench", "scoring");
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--out needs a directory");
          }
          out = Path.of(args[++i]);
        }
        case "--help", "-h" -> {
          System.out.println(
              "usage: vaeguard bench scoring [--quick] [--out DIR] [JMH options, e.g. -p batch=1,1024]");
          return;
        }
        default -> jmhArgs.add(args[i]);
      }
    }
    CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(String[]::new));
    ChainedOptionsBuilder opts = new OptionsBuilder().parent(cli);
    if (cli.getIncludes().isEmpty()) {
      opts.include("\\.ScoringBenchmark\\.score$")
          .include("\\.ObservationScoringBenchmark\\.")
          .include("\\.MatMulCeilingBenchmark\\.");
    }
    Path jmhJson = out.resolve("jmh.json");
    java.nio.file.Files.createDirectories(out);
    opts.resultFormat(ResultFormatType.JSON).result(jmhJson.toString());
    if (quick) {
      opts.warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(2)
          .measurementTime(TimeValue.milliseconds(500));
      if (!cli.getParameter("batch").hasValue()) {
        opts.param("batch", "1", "64", "1024", "4096");
      }
      if (!cli.getParameter("threads").hasValue()) {
        opts.param("threads", "1");
      }
    }
    String model = System.getProperty(ScoringBenchmark.MODEL_PROPERTY, "models/default");
    opts.jvmArgsAppend("-D" + ScoringBenchmark.MODEL_PROPERTY + "=" + model);
    System.setProperty(ScoringBenchmark.MODEL_PROPERTY, model);

    String loadBefore = Machine.loadAverage();
    Collection<RunResult> results = new Runner(opts.build()).run();
    List<LayerShapes.Layer> layers = LayerShapes.read(MatMulCeilingBenchmark.fp32Onnx());
    long flops = LayerShapes.flopsPerRecord(layers);
    List<Row> rows = rows(results, flops);

    Map<String, Object> summary = new LinkedHashMap<>();
    Map<String, Object> machine = Machine.describe();
    machine.put("loadAverageBefore", loadBefore);
    summary.put("machine", machine);
    summary.put("model", model);
    summary.put("layers", layers);
    summary.put("flopsPerRecord", flops);
    summary.put("results", rows);
    summary.put("ceilingComparison", ceilingComparison(rows));
    Json.write(out.resolve("summary.json"), summary);
    String md = markdown(rows, layers, flops);
    Json.writeText(out.resolve("summary.md"), md);
    plot(rows, out.resolve("records-per-second.png"));
    System.out.println();
    System.out.println(md);
    System.out.println(
        "Wrote "
            + jmhJson
            + ", "
            + out.resolve("summary.json")
            + ", "
            + out.resolve("summary.md")
            + ", "
            + out.resolve("records-per-second.png")
            + " (load average before "
            + loadBefore
            + ", after "
            + Machine.loadAverage()
            + ")");
  }

  /**
   * One benchmark result in records per second.
   *
   * @param input floats (raw rows), observations (Avro records), bytes (Kafka values), or ceiling
   */
  public record Row(
      String input,
      String precision,
      int threads,
      int batch,
      double recordsPerSecond,
      double error,
      double microsPerCall,
      double gflops) {}

  static List<Row> rows(Collection<RunResult> results, long flopsPerRecord) {
    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      String input =
          switch (name) {
            case SCORING -> "floats";
            case FROM_OBSERVATIONS -> "observations";
            case FROM_BYTES -> "bytes";
            case CEILING -> "ceiling";
            default -> name;
          };
      boolean ceiling = input.equals("ceiling");
      int batch = Integer.parseInt(r.getParams().getParam(ceiling ? "rows" : "batch"));
      int threads = Integer.parseInt(r.getParams().getParam("threads"));
      String precision = ceiling ? "fp32" : r.getParams().getParam("precision");
      double ops = r.getPrimaryResult().getScore();
      double err = r.getPrimaryResult().getScoreError();
      double recs = ops * batch;
      rows.add(
          new Row(
              input,
              precision,
              threads,
              batch,
              recs,
              Double.isNaN(err) ? 0 : err * batch,
              1e6 / ops,
              recs * flopsPerRecord / 1e9));
    }
    rows.sort(
        Comparator.comparing(Row::input)
            .thenComparing(Row::precision)
            .thenComparingInt(Row::threads)
            .thenComparingInt(Row::batch));
    return rows;
  }

  /**
   * Per thread count: the ceiling's records/s over scoring's (fp32, raw rows, batch 1024); the
   * target is <= 2.
   */
  static Map<String, Object> ceilingComparison(List<Row> rows) {
    Map<String, Object> out = new TreeMap<>();
    for (Row c : rows) {
      if (!c.input().equals("ceiling")) {
        continue;
      }
      for (Row s : rows) {
        if (s.input().equals("floats")
            && s.precision().equals("fp32")
            && s.threads() == c.threads()
            && s.batch() == c.batch()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("ceilingRecordsPerSecond", c.recordsPerSecond());
          m.put("scoringRecordsPerSecond", s.recordsPerSecond());
          m.put("ceilingOverScoring", c.recordsPerSecond() / s.recordsPerSecond());
          m.put("withinTwoX", c.recordsPerSecond() / s.recordsPerSecond() <= 2);
          out.put("threads=" + c.threads() + ",batch=" + c.batch(), m);
        }
      }
    }
    return out;
  }

  static String markdown(List<Row> rows, List<LayerShapes.Layer> layers, long flops) {
    StringBuilder sb = new StringBuilder();
    sb.append(
            "| input | precision | threads | batch | records/s | +- | us/call | per-record speed-up vs batch 1 |\n")
        .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    Map<String, Double> batchOne = new TreeMap<>();
    for (Row r : rows) {
      if (r.input().equals("ceiling")) {
        continue;
      }
      String key = r.input() + "/" + r.precision() + "/" + r.threads();
      if (r.batch() == 1) {
        batchOne.put(key, r.recordsPerSecond());
      }
      Double one = batchOne.get(key);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %,.0f | %,.0f | %.1f | %s |%n",
              r.input(),
              r.precision(),
              r.threads(),
              r.batch(),
              r.recordsPerSecond(),
              r.error(),
              r.microsPerCall(),
              one == null ? "-" : String.format(Locale.ROOT, "%.1fx", r.recordsPerSecond() / one)));
    }
    StringBuilder shapes = new StringBuilder();
    for (LayerShapes.Layer l : layers) {
      shapes.append(shapes.length() == 0 ? "" : ", ").append(l.in()).append('x').append(l.out());
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%nMatMul ceiling: layers %s, %,d FLOPs per record (2 x sum in x out)%n%n",
            shapes,
            flops));
    sb.append(
            "| threads | rows | GFLOP/s | records/s ceiling | +- | scoring fp32 same batch | ceiling / scoring |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Row c : rows) {
      if (!c.input().equals("ceiling")) {
        continue;
      }
      Row s =
          rows.stream()
              .filter(
                  r ->
                      r.input().equals("floats")
                          && r.precision().equals("fp32")
                          && r.threads() == c.threads()
                          && r.batch() == c.batch())
              .findFirst()
              .orElse(null);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %.2f | %,.0f | %,.0f | %s | %s |%n",
              c.threads(),
              c.batch(),
              c.gflops(),
              c.recordsPerSecond(),
              c.error(),
              s == null ? "-" : String.format(Locale.ROOT, "%,.0f", s.recordsPerSecond()),
              s == null
                  ? "-"
                  : String.format(
                      Locale.ROOT, "%.2fx", c.recordsPerSecond() / s.recordsPerSecond())));
    }
    return sb.toString();
  }

  static void plot(List<Row> rows, Path file) {
    XYChart chart =
        Charts.xy(
            "vaeguard scoring: records/s against batch size",
            "batch size (records per call)",
            "records/s");
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    Map<String, List<Row>> series = new TreeMap<>();
    for (Row r : rows) {
      if (!r.input().equals("ceiling")) {
        series
            .computeIfAbsent(
                r.input() + " " + r.precision() + " " + r.threads() + "t", k -> new ArrayList<>())
            .add(r);
      }
    }
    double minBatch = 1;
    double maxBatch = rows.stream().mapToInt(Row::batch).max().orElse(4096);
    series.forEach(
        (name, list) -> {
          double[] x = list.stream().mapToDouble(Row::batch).toArray();
          double[] y = list.stream().mapToDouble(Row::recordsPerSecond).toArray();
          chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        });
    for (Row c : rows) {
      if (c.input().equals("ceiling")) {
        XYSeries s =
            chart.addSeries(
                String.format(Locale.ROOT, "MatMul ceiling %dt (batch %d)", c.threads(), c.batch()),
                new double[] {minBatch, maxBatch},
                new double[] {c.recordsPerSecond(), c.recordsPerSecond()});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DASH_DASH);
      }
    }
    Charts.savePng(chart, file);
  }
}
