package io.vaeguard.bench.pipeline;

import static io.vaeguard.bench.pipeline.PipelineBenchmarkMain.log;

import io.vaeguard.bench.report.Percentiles;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.generator.RatePacer;
import io.vaeguard.schema.Score;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Latency: the VAE job fp32, unbounded, under a paced producer at each of {@link #LOAD_LEVELS} of
 * the top rate in turn. Latency is the Score's broker append time minus the Observation's event
 * time (the wall clock at send), over each level's steady window after its warm-up; the scores are
 * read back after the run, so reading costs no CPU during it.
 */
final class LatencyRun {

  static final double[] LOAD_LEVELS = {0.25, 0.50, 0.75};

  private final BenchJobs jobs;
  private final PipelineBenchmarkOptions opts;
  private final double topRate;

  // Per level: the wall-clock window measured, and the records sent within it.
  private final long[] windowStart = new long[LOAD_LEVELS.length];
  private final long[] windowEnd = new long[LOAD_LEVELS.length];
  private final long[] sent = new long[LOAD_LEVELS.length];

  /**
   * @param topRate records/s of variant (b), what the levels are fractions of
   */
  LatencyRun(BenchJobs jobs, PipelineBenchmarkOptions opts, double topRate) {
    this.jobs = jobs;
    this.opts = opts;
    this.topRate = topRate;
  }

  /** Runs every level, writes {@code latency-cdf.png} and returns the report's {@code latency}. */
  Map<String, Object> run() throws Exception {
    String id = "latency-" + UUID.randomUUID().toString().substring(0, 8);
    String input = "obs-" + id;
    jobs.createTopics(input);
    JobConfig cfg = jobs.config(input, id, "fp32", 256);
    try (MiniCluster flink = BenchJobs.miniCluster()) {
      JobID job = BenchJobs.submit(flink, cfg, false, false);
      awaitRunning(flink, job);
      Thread.sleep(3000); // the source's first fetch and the scorer's session
      sendLevels(input);
      Thread.sleep(3000); // let the last records through
      flink.cancelJob(job).get(60, TimeUnit.SECONDS);
    }
    LongList[] lat = new LongList[LOAD_LEVELS.length];
    long[][] maxPerSecond = new long[LOAD_LEVELS.length][opts.windowSeconds()];
    readBack(cfg.scoresTopic(), lat, maxPerSecond);

    List<Map<String, Object>> out = new ArrayList<>();
    LatencyChart chart = new LatencyChart();
    for (int k = 0; k < LOAD_LEVELS.length; k++) {
      out.add(level(k, new Percentiles(lat[k].values(), lat[k].size()), maxPerSecond[k], chart));
    }
    chart.save(opts.out().resolve("latency-cdf.png"));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("topRateFromB", topRate);
    result.put("levels", out);
    return result;
  }

  /** Each level for its warm-up and window, paced; the wall clock at send is the event time. */
  private void sendLevels(String input) {
    long levelMillis = (opts.warmupSeconds() + opts.windowSeconds()) * 1000L;
    Observations obs = new Observations(100, 100_000, 9);
    try (KafkaProducer<byte[], byte[]> p = jobs.producer(1, 64 << 10)) {
      for (int k = 0; k < LOAD_LEVELS.length; k++) {
        RatePacer pacer = new RatePacer(LOAD_LEVELS[k] * topRate);
        long startWall = System.currentTimeMillis();
        windowStart[k] = startWall + opts.warmupSeconds() * 1000L;
        windowEnd[k] = startWall + levelMillis;
        log(
            String.format(
                Locale.ROOT,
                "latency: %.0f%% of %,.0f = %,.0f records/s for %d s (%d s warm-up)",
                100 * LOAD_LEVELS[k],
                topRate,
                pacer.perSecond(),
                levelMillis / 1000,
                opts.warmupSeconds()));
        long start = System.nanoTime();
        long end = start + levelMillis * 1_000_000L;
        long count = 0;
        long inWindow = 0;
        for (long now = start; now < end; now = System.nanoTime()) {
          long due = pacer.dueAfter(now - start);
          if (count >= due) {
            LockSupport.parkNanos(
                Math.min(200_000, Math.max(10_000, pacer.dueAt(count) - (now - start))));
            continue;
          }
          while (count < due) {
            long t = System.currentTimeMillis();
            p.send(new ProducerRecord<>(input, obs.next(t)));
            count++;
            if (t >= windowStart[k]) {
              inWindow++;
            }
          }
        }
        sent[k] = inWindow;
      }
      p.flush();
    }
  }

  /** Append time minus event time of every Score whose event time is in a level's window. */
  private void readBack(String scoresTopic, LongList[] lat, long[][] maxPerSecond) {
    for (int k = 0; k < lat.length; k++) {
      lat[k] = new LongList();
    }
    BinaryMessageDecoder<Score> decoder = Score.getDecoder();
    Score[] reuse = {null};
    TopicSpan.readAll(
        jobs.bootstrapServers(),
        scoresTopic,
        (appendTime, value) -> {
          try {
            reuse[0] = decoder.decode(ByteBuffer.wrap(value), reuse[0]);
          } catch (IOException e) {
            throw new IllegalStateException("cannot decode a Score: " + e.getMessage(), e);
          }
          long eventTime = reuse[0].getEventTime().toEpochMilli();
          for (int k = 0; k < lat.length; k++) {
            if (eventTime >= windowStart[k] && eventTime < windowEnd[k]) {
              lat[k].add(appendTime - eventTime);
              int second =
                  (int) Math.min(opts.windowSeconds() - 1, (eventTime - windowStart[k]) / 1000);
              maxPerSecond[k][second] = Math.max(maxPerSecond[k][second], appendTime - eventTime);
            }
          }
        });
  }

  /** Level {@code k}'s entry in the report, its series on the chart and its log line. */
  private Map<String, Object> level(
      int k, Percentiles pc, long[] maxPerSecond, LatencyChart chart) {
    double windowSeconds = opts.windowSeconds();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loadFraction", LOAD_LEVELS[k]);
    m.put("targetRecordsPerSecond", LOAD_LEVELS[k] * topRate);
    m.put("sentRecordsPerSecondInWindow", sent[k] / windowSeconds);
    m.put("windowSeconds", windowSeconds);
    m.put("recordsMeasured", pc.count());
    m.put("recordsSentInWindow", sent[k]);
    if (pc.count() > 0) {
      m.put("p50Millis", pc.percentile(50));
      m.put("p95Millis", pc.percentile(95));
      m.put("p99Millis", pc.percentile(99));
      m.put("maxMillis", pc.percentile(100));
      m.put("maxMillisPerSecondOfWindow", maxPerSecond);
      chart.add(LOAD_LEVELS[k], LOAD_LEVELS[k] * topRate, pc.sorted());
    }
    log(
        String.format(
            Locale.ROOT,
            "latency at %.0f%%: p50 %s ms, p95 %s ms, p99 %s ms, max %s ms (%,.0f records/s sent)",
            100 * LOAD_LEVELS[k],
            m.get("p50Millis"),
            m.get("p95Millis"),
            m.get("p99Millis"),
            m.get("maxMillis"),
            sent[k] / windowSeconds));
    return m;
  }

  private static void awaitRunning(MiniCluster flink, JobID job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JobStatus s = flink.getJobStatus(job).get(10, TimeUnit.SECONDS);
      if (s == JobStatus.RUNNING) {
        return;
      }
      if (s.isGloballyTerminalState()) {
        throw new IllegalStateException("the latency job ended before it ran: " + s);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the latency job did not start within 60 s");
  }
}
