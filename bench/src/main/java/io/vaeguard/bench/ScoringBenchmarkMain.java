package io.vaeguard.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link ScoringBenchmark} and prints records per second per batch size and precision, with
 * the per-record speed-up over batch 1. JMH's own flags pass through (e.g. {@code -p batch=1,1024},
 * {@code -wi 1 -i 2} for a quick look).
 */
public final class ScoringBenchmarkMain {

  private ScoringBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    ChainedOptionsBuilder opts = new OptionsBuilder().parent(cli).include(ScoringBenchmark.class.getSimpleName());
    String model = System.getProperty(ScoringBenchmark.MODEL_PROPERTY);
    if (model != null) {
      opts.jvmArgsAppend("-D" + ScoringBenchmark.MODEL_PROPERTY + "=" + model);
    }
    Collection<RunResult> results = run(opts);
    System.out.println();
    System.out.println(table(results));
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder opts) throws RunnerException {
    return new Runner(opts.build()).run();
  }

  /** A Markdown table: precision, threads, batch, records/s (+- error), speed-up per record over batch 1. */
  static String table(Collection<RunResult> results) {
    StringBuilder sb = new StringBuilder(
        "| precision | threads | batch | records/s | +- | per-record speed-up vs batch 1 |\n"
            + "| --- | ---: | ---: | ---: | ---: | ---: |\n");
    java.util.Map<String, Double> batchOne = new java.util.HashMap<>();
    List<RunResult> sorted = new ArrayList<>(results);
    sorted.sort(java.util.Comparator.comparing((RunResult r) -> r.getParams().getParam("precision"))
        .thenComparing(r -> Integer.parseInt(r.getParams().getParam("threads")))
        .thenComparing(r -> Integer.parseInt(r.getParams().getParam("batch"))));
    for (RunResult r : sorted) {
      String p = r.getParams().getParam("precision");
      String t = r.getParams().getParam("threads");
      int batch = Integer.parseInt(r.getParams().getParam("batch"));
      double ops = r.getPrimaryResult().getScore();
      double err = r.getPrimaryResult().getScoreError();
      double recs = ops * batch;
      if (batch == 1) {
        batchOne.put(p + "/" + t, recs);
      }
      Double one = batchOne.get(p + "/" + t);
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %,.0f | %s |%n", p, t, batch, recs,
          Double.isNaN(err) ? 0 : err * batch, one == null ? "-" : String.format(Locale.ROOT, "%.1fx", recs / one)));
    }
    return sb.toString();
  }
}
