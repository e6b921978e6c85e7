package io.vaeguard.bench.pipeline;

import io.vaeguard.bench.report.Machine;
import io.vaeguard.local.kafka.LocalKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vaeguard bench pipeline}: the streaming job on a local KRaft broker, in this JVM.
 *
 * <ol>
 *   <li>Pre-loads {@code --records} synthetic Observations (8 features) into one input topic.
 *   <li>Runs, one after another and each on a fresh Flink MiniCluster, bounded jobs reading that
 *       topic from the earliest offset: (a) pass-through (source, decode, to Score, scores sink; no
 *       model), (b) the VAE job fp32, (c) int8, (d) fp32 with batch size 1; (b)-(d) write every
 *       record's Score, so every variant writes one record per input. Records/s = input records
 *       over the span of the broker's append times of the first and the last output record.
 *   <li>Latency: the VAE job fp32, unbounded, under a paced producer at 25%, 50% and 75% of (b)'s
 *       rate; latency = the Score's broker append time minus the Observation's event time, which is
 *       the wall clock at send. Percentiles over a steady window per level, read back after the run
 *       so reading costs no CPU during it.
 * </ol>
 *
 * Topics use {@code LogAppendTime}. Sinks are at-least-once (the same for every variant),
 * parallelism 1. Writes {@code pipeline.json}, {@code pipeline.md} and {@code latency-cdf.png} to
 * {@code --out}.
 *
 * <p>This class runs the stages in order; each has a class of its own: {@link
 * PipelineBenchmarkOptions}, {@link Preload}, {@link ThroughputRun}, {@link LatencyRun}, {@link
 * PipelineReport}, and {@link BenchJobs} for what their jobs share.
 */
public final class PipelineBenchmarkMain {

  private final PipelineBenchmarkOptions opts;
  private final PipelineReport report;

  private PipelineBenchmarkMain(PipelineBenchmarkOptions opts) {
    this.opts = opts;
    this.report = new PipelineReport(opts.out(), opts.records());
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    // Flink logs every task transition at INFO; the benchmark's own lines are what matter here.
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    // Flink warns on every job start that the Kafka sinks' committers share a metric name; nothing
    // to act on.
    System.setProperty(
        "org.slf4j.simpleLogger.log.org.apache.flink.metrics.MetricGroup",
        System.getProperty(
            "org.slf4j.simpleLogger.log.org.apache.flink.metrics.MetricGroup", "error"));
    PipelineBenchmarkOptions o;
    try {
      o = PipelineBenchmarkOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench pipeline: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (o == null) {
      return;
    }
    int status = 0;
    try {
      new PipelineBenchmarkMain(o).run();
    } catch (Exception e) {
      System.err.println("bench pipeline: failed");
      e.printStackTrace();
      status = 1;
    }
    System.exit(status); // Flink and Kafka client threads may linger
  }

  private void run() throws Exception {
    Files.createDirectories(opts.out());
    report.put("machine", Machine.describe());
    report.put("records", opts.records());
    report.put("model", opts.model());
    report.put(
        "settings",
        "parallelism 1, one TaskManager slot, at-least-once sinks, checkpoints every "
            + opts.checkpointMillis()
            + " ms, "
            + "topics of one partition with LogAppendTime, scoring batch 256 / max wait 10 ms unless said"
            + (opts.kafka().isEmpty() ? "" : ", Kafka client settings " + opts.kafka()));
    Path kafkaDir = Files.createTempDirectory(opts.out().toAbsolutePath(), "kafka-");
    LocalKafka kafka =
        LocalKafka.builder(kafkaDir)
            .maxHeap("1g")
            .brokerProperty("log.message.timestamp.type", "LogAppendTime")
            .start();
    try {
      log("broker at " + kafka.bootstrapServers() + " (" + kafkaDir + ")");
      BenchJobs jobs = new BenchJobs(kafka, opts);
      String input = "bench-observations";
      kafka.createTopics(input);
      report.put("preload", Preload.run(jobs, input, opts.records()));

      ThroughputRun throughput = new ThroughputRun(jobs, input, opts.records());
      throughput.warmUp();
      List<Map<String, Object>> results = new ArrayList<>();
      Map<String, Double> rate = new LinkedHashMap<>();
      for (JobVariant v : JobVariant.ALL) {
        if (opts.variants().indexOf(v.key().charAt(0)) < 0) {
          continue;
        }
        Map<String, Object> r = throughput.run(v);
        results.add(r);
        rate.put(v.key(), (Double) r.get("recordsPerSecond"));
      }
      report.put("throughput", results);
      if (rate.keySet().containsAll(List.of("a", "b", "c", "d"))) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("b_over_a", rate.get("b") / rate.get("a"));
        ratios.put("b_over_d", rate.get("b") / rate.get("d"));
        ratios.put("c_over_b", rate.get("c") / rate.get("b"));
        report.put("ratios", ratios);
      }
      report.write();

      if (!opts.skipLatency() && rate.containsKey("b")) {
        report.put("latency", new LatencyRun(jobs, opts, rate.get("b")).run());
      }
    } finally {
      kafka.close();
      deleteTree(kafkaDir);
    }
    report.put("loadAverageAfter", Machine.loadAverage());
    report.write();
    System.out.println(Files.readString(report.markdownFile()));
    log("wrote " + opts.out().resolve("pipeline.json") + ", pipeline.md, latency-cdf.png");
  }

  static void log(String line) {
    System.out.println("bench pipeline: " + line);
    System.out.flush();
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted((x, y) -> y.getNameCount() - x.getNameCount()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
