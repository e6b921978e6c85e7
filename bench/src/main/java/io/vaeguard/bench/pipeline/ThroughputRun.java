package io.vaeguard.bench.pipeline;

import static io.vaeguard.bench.pipeline.PipelineBenchmarkMain.log;

import io.vaeguard.bench.report.Machine;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.job.KafkaConnectors;
import io.vaeguard.pipeline.job.VaeguardJob;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.TopicPartition;

/**
 * Throughput: each variant as a bounded job over the whole pre-loaded input, on a fresh
 * MiniCluster, measured by the broker's append times of its first and last output record.
 */
final class ThroughputRun {

  private final BenchJobs jobs;
  private final String input;
  private final long records;

  ThroughputRun(BenchJobs jobs, String input, long records) {
    this.jobs = jobs;
    this.input = input;
    this.records = records;
  }

  /**
   * Not reported: the VAE job over the first records (10%, at most 200,000), so that the JIT has
   * compiled the source, decode, sink and scoring paths before the first measured variant; without
   * it the first variant pays for warming this JVM up.
   */
  void warmUp() throws Exception {
    long n = Math.min(200_000, Math.max(1000, records / 10));
    String id = "warmup-" + UUID.randomUUID().toString().substring(0, 8);
    JobConfig cfg = jobs.config(input, id, "fp32", 256);
    long start = System.nanoTime();
    try (MiniCluster flink = BenchJobs.miniCluster()) {
      StreamExecutionEnvironment env = BenchJobs.environment();
      var source =
          KafkaConnectors.sourceBuilder(cfg)
              .setBounded(OffsetsInitializer.offsets(Map.of(new TopicPartition(input, 0), n)))
              .build();
      VaeguardJob.build(env, cfg, source, KafkaConnectors.sinks(cfg));
      JobID job = flink.submitJob(env.getStreamGraph()).get(60, TimeUnit.SECONDS).getJobID();
      JobResult r = flink.requestJobResult(job).get(10, TimeUnit.MINUTES);
      if (!r.isSuccess()) {
        throw new IllegalStateException("the warm-up job failed: " + r.getSerializedThrowable());
      }
    }
    log(
        String.format(
            Locale.ROOT,
            "warm-up (not reported): the VAE job over the first %,d records, %.1f s",
            n,
            (System.nanoTime() - start) / 1e9));
  }

  /** One variant's run; the report's entry for it, {@code recordsPerSecond} the headline. */
  Map<String, Object> run(JobVariant v) throws Exception {
    String id = v.key() + "-" + UUID.randomUUID().toString().substring(0, 8);
    JobConfig cfg = jobs.config(input, id, v.precision(), v.batchSize());
    String loadBefore = Machine.loadAverage();
    long wallStart = System.nanoTime();
    JobResult result;
    try (MiniCluster flink = BenchJobs.miniCluster()) {
      JobID job = BenchJobs.submit(flink, cfg, v.passThrough(), true);
      result = flink.requestJobResult(job).get(30, TimeUnit.MINUTES);
    }
    double wall = (System.nanoTime() - wallStart) / 1e9;
    if (!result.isSuccess()) {
      Throwable t =
          result
              .getSerializedThrowable()
              .map(s -> s.deserializeError(getClass().getClassLoader()))
              .orElse(null);
      throw new IllegalStateException(
          "variant (" + v.key() + ") " + v.description() + " failed", t);
    }
    TopicSpan span = TopicSpan.read(jobs.bootstrapServers(), cfg.scoresTopic());
    double seconds = span.spanMillis() / 1000.0;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("variant", v.key());
    r.put("description", v.description());
    r.put("precision", v.passThrough() ? null : v.precision());
    r.put("batchSize", v.passThrough() ? null : v.batchSize());
    r.put("outputRecords", span.records());
    r.put("firstOutputAppendMillis", span.firstMillis());
    r.put("lastOutputAppendMillis", span.lastMillis());
    r.put("outputSpanSeconds", seconds);
    r.put("recordsPerSecond", records / seconds);
    r.put("jobNetRuntimeSeconds", result.getNetRuntime() / 1000.0);
    r.put("recordsPerSecondOverJobRuntime", records / (result.getNetRuntime() / 1000.0));
    r.put("wallSecondsWithClusterStartAndStop", wall);
    r.put("loadAverageBefore", loadBefore);
    log(
        String.format(
            Locale.ROOT,
            "(%s) %s: %,.0f records/s (%,d outputs over %.2f s of append times; job runtime %.2f s)",
            v.key(),
            v.description(),
            records / seconds,
            span.records(),
            seconds,
            result.getNetRuntime() / 1000.0));
    if (span.records() != records) {
      log("WARNING: " + span.records() + " output records for " + records + " inputs");
    }
    return r;
  }
}
