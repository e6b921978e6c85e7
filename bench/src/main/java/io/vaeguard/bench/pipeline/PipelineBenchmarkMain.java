package io.vaeguard.bench.pipeline;

import io.vaeguard.bench.report.Charts;
import io.vaeguard.bench.report.Json;
import io.vaeguard.bench.report.Machine;
import io.vaeguard.bench.report.Percentiles;
import io.vaeguard.local.kafka.LocalKafka;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.config.JobOptions;
import io.vaeguard.pipeline.generator.RatePacer;
import io.vaeguard.pipeline.job.KafkaConnectors;
import io.vaeguard.pipeline.job.LoopbackMiniCluster;
import io.vaeguard.pipeline.job.VaeguardJob;
import io.vaeguard.schema.Score;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

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
 */
public final class PipelineBenchmarkMain {

  static final double[] LOAD_LEVELS = {0.25, 0.50, 0.75};

  record Options(
      long records,
      boolean quick,
      Path out,
      String model,
      int warmupSeconds,
      int windowSeconds,
      boolean skipLatency,
      String variants,
      String checkpointMillis,
      Map<String, String> kafka) {}

  record Variant(
      String key, String description, boolean passThrough, String precision, int batchSize) {}

  private final Options opts;
  private final Map<String, Object> report = new LinkedHashMap<>();
  private LocalKafka kafka;

  private PipelineBenchmarkMain(Options opts) {
    this.opts = opts;
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
    Options o;
    try {
      o = parse(args);
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

  static Options parse(String[] args) {
    Long records = null;
    boolean quick = false;
    boolean skipLatency = false;
    Path out = Path.of("work", "bench", "pipeline");
    String model = "models/default";
    Integer warmup = null;
    Integer window = null;
    String variants = "abcd";
    String checkpoint = "10000";
    Map<String, String> kafka = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--records" -> records = number(value(args, ++i, a), a);
        case "--quick" -> quick = true;
        case "--no-latency" -> skipLatency = true;
        case "--variants" -> variants = value(args, ++i, a);
        case "--checkpoint-interval-ms" -> checkpoint = value(args, ++i, a);
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--model" -> model = value(args, ++i, a);
        case "--warmup-seconds" -> warmup = (int) number(value(args, ++i, a), a);
        case "--window-seconds" -> window = (int) Math.max(1, number(value(args, ++i, a), a));
        case "--kafka" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException(
                "--kafka takes KEY=VALUE (a Kafka client setting), got '" + kv + "'");
          }
          kafka.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--help", "-h" -> {
          System.out.println(
              "usage: vaeguard bench pipeline [--records N (default 2000000; 200000 with --quick)] "
                  + "[--quick] [--out DIR] [--model DIR] [--warmup-seconds S] [--window-seconds S] [--no-latency] "
                  + "[--variants abcd (a subset, e.g. b, for profiling)] [--checkpoint-interval-ms MS (default 10000)] "
                  + "[--kafka KEY=VALUE (a Kafka client setting for every job's source and sinks; repeatable)]");
          return null;
        }
        default ->
            throw new IllegalArgumentException(
                "bench pipeline: unknown option " + a + "; see --help");
      }
    }
    long n = records != null ? records : quick ? 200_000 : 2_000_000;
    if (n < 1000) {
      throw new IllegalArgumentException("--records must be at least 1000, got " + n);
    }
    return new Options(
        n,
        quick,
        out,
        model,
        warmup != null ? warmup : quick ? 2 : 5,
        window != null ? window : quick ? 6 : 20,
        skipLatency,
        variants,
        checkpoint,
        Map.copyOf(kafka));
  }

  private static long number(String v, String flag) {
    try {
      return Long.parseLong(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + v + "' is not a whole number");
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
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
    kafka =
        LocalKafka.builder(kafkaDir)
            .maxHeap("1g")
            .brokerProperty("log.message.timestamp.type", "LogAppendTime")
            .start();
    try {
      log("broker at " + kafka.bootstrapServers() + " (" + kafkaDir + ")");
      String input = "bench-observations";
      kafka.createTopics(input);
      preload(input);

      List<Variant> variants =
          List.of(
              new Variant(
                  "a",
                  "pass-through: source, decode, to Score, scores sink; no model",
                  true,
                  "fp32",
                  256),
              new Variant("b", "VAE job fp32, batch 256", false, "fp32", 256),
              new Variant("c", "VAE job int8, batch 256", false, "int8", 256),
              new Variant("d", "VAE job fp32, batch 1", false, "fp32", 1));
      warmUp(input);
      List<Map<String, Object>> results = new ArrayList<>();
      Map<String, Double> rate = new LinkedHashMap<>();
      for (Variant v : variants) {
        if (opts.variants().indexOf(v.key().charAt(0)) < 0) {
          continue;
        }
        Map<String, Object> r = runBounded(input, v);
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
      writeReport();

      if (!opts.skipLatency() && rate.containsKey("b")) {
        report.put("latency", latency(rate.get("b")));
      }
    } finally {
      kafka.close();
      deleteTree(kafkaDir);
    }
    report.put("loadAverageAfter", Machine.loadAverage());
    writeReport();
    System.out.println(Files.readString(opts.out().resolve("pipeline.md")));
    log("wrote " + opts.out().resolve("pipeline.json") + ", pipeline.md, latency-cdf.png");
  }

  // ------------------------------------------------------------------ pre-load

  private static Properties producerProperties(String bootstrap, int lingerMs, int batchBytes) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(batchBytes));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(256L << 20));
    return p;
  }

  private void preload(String topic) {
    Observations obs = new Observations(100, 100_000, 7);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(producerProperties(kafka.bootstrapServers(), 20, 1 << 20))) {
      for (long i = 0; i < opts.records(); i++) {
        p.send(new ProducerRecord<>(topic, obs.next()));
      }
      p.flush();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", seconds);
    m.put("recordsPerSecond", opts.records() / seconds);
    report.put("preload", m);
    log(
        String.format(
            Locale.ROOT,
            "pre-loaded %,d Observations in %.1f s (%,.0f records/s)",
            opts.records(),
            seconds,
            opts.records() / seconds));
  }

  // ------------------------------------------------------------------ throughput

  /**
   * Not reported: the VAE job over the first records (10%, at most 200,000), so that the JIT has
   * compiled the source, decode, sink and scoring paths before the first measured variant; without
   * it the first variant pays for warming this JVM up.
   */
  private void warmUp(String input) throws Exception {
    long n = Math.min(200_000, Math.max(1000, opts.records() / 10));
    String id = "warmup-" + UUID.randomUUID().toString().substring(0, 8);
    JobConfig cfg = config(input, id, "fp32", 256).build();
    long start = System.nanoTime();
    try (MiniCluster flink = miniCluster()) {
      StreamExecutionEnvironment env = environment();
      var source =
          KafkaConnectors.sourceBuilder(cfg)
              .setBounded(
                  OffsetsInitializer.offsets(
                      Map.of(new org.apache.kafka.common.TopicPartition(input, 0), n)))
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

  private static StreamExecutionEnvironment environment() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    return StreamExecutionEnvironment.getExecutionEnvironment(conf);
  }

  private JobConfig.Builder config(String input, String id, String precision, int batchSize) {
    kafka.createTopics("scores-" + id, "alerts-" + id, "dead-" + id);
    JobConfig.Builder b =
        JobConfig.builder()
            .set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
            .set(JobOptions.INPUT_TOPIC, input)
            .set(JobOptions.SCORES_TOPIC, "scores-" + id)
            .set(JobOptions.ALERTS_TOPIC, "alerts-" + id)
            .set(JobOptions.DEAD_LETTER_TOPIC, "dead-" + id)
            .set(JobOptions.GROUP_ID, "bench-" + id)
            .set(JobOptions.STARTING_OFFSETS, "earliest")
            .set(
                JobOptions.MODEL_DIR, Path.of(opts.model()).toAbsolutePath().normalize().toString())
            .set(JobOptions.PRECISION, precision)
            .set(JobOptions.BATCH_SIZE, String.valueOf(batchSize))
            .set(JobOptions.DELIVERY, "at-least-once")
            .set(JobOptions.CHECKPOINT_INTERVAL, opts.checkpointMillis())
            .set(JobOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + id);
    opts.kafka().forEach(b::kafkaProperty);
    return b;
  }

  private static MiniCluster miniCluster() throws Exception {
    return LoopbackMiniCluster.start(1);
  }

  private static JobID submit(
      MiniCluster flink, JobConfig cfg, boolean passThrough, boolean bounded) throws Exception {
    StreamExecutionEnvironment env = environment();
    var source =
        bounded
            ? KafkaConnectors.sourceBuilder(cfg).setBounded(OffsetsInitializer.latest()).build()
            : KafkaConnectors.source(cfg);
    if (passThrough) {
      VaeguardJob.buildPassThrough(env, cfg, source, KafkaConnectors.sinks(cfg));
    } else {
      VaeguardJob.build(env, cfg, source, KafkaConnectors.sinks(cfg));
    }
    return flink.submitJob(env.getStreamGraph()).get(60, TimeUnit.SECONDS).getJobID();
  }

  private Map<String, Object> runBounded(String input, Variant v) throws Exception {
    String id = v.key() + "-" + UUID.randomUUID().toString().substring(0, 8);
    JobConfig cfg = config(input, id, v.precision(), v.batchSize()).build();
    String loadBefore = Machine.loadAverage();
    long wallStart = System.nanoTime();
    JobResult result;
    try (MiniCluster flink = miniCluster()) {
      JobID job = submit(flink, cfg, v.passThrough(), true);
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
    TopicSpan span = TopicSpan.read(kafka.bootstrapServers(), cfg.scoresTopic());
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
    r.put("recordsPerSecond", opts.records() / seconds);
    r.put("jobNetRuntimeSeconds", result.getNetRuntime() / 1000.0);
    r.put("recordsPerSecondOverJobRuntime", opts.records() / (result.getNetRuntime() / 1000.0));
    r.put("wallSecondsWithClusterStartAndStop", wall);
    r.put("loadAverageBefore", loadBefore);
    log(
        String.format(
            Locale.ROOT,
            "(%s) %s: %,.0f records/s (%,d outputs over %.2f s of append times; job runtime %.2f s)",
            v.key(),
            v.description(),
            opts.records() / seconds,
            span.records(),
            seconds,
            result.getNetRuntime() / 1000.0));
    if (span.records() != opts.records()) {
      log("WARNING: " + span.records() + " output records for " + opts.records() + " inputs");
    }
    return r;
  }

  // ------------------------------------------------------------------ latency

  private Map<String, Object> latency(double topRate) throws Exception {
    String id = "latency-" + UUID.randomUUID().toString().substring(0, 8);
    String input = "obs-" + id;
    kafka.createTopics(input);
    JobConfig cfg = config(input, id, "fp32", 256).build();
    int levels = LOAD_LEVELS.length;
    long levelMillis = (opts.warmupSeconds() + opts.windowSeconds()) * 1000L;
    long[] sent = new long[levels];
    long[] windowStart = new long[levels];
    long[] windowEnd = new long[levels];
    try (MiniCluster flink = miniCluster()) {
      JobID job = submit(flink, cfg, false, false);
      awaitRunning(flink, job);
      Thread.sleep(3000); // the source's first fetch and the scorer's session
      Observations obs = new Observations(100, 100_000, 9);
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(producerProperties(kafka.bootstrapServers(), 1, 64 << 10))) {
        for (int k = 0; k < levels; k++) {
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
      Thread.sleep(3000); // let the last records through
      flink.cancelJob(job).get(60, TimeUnit.SECONDS);
    }

    // Read back: append time minus event time, per level's steady window.
    LongList[] lat = new LongList[levels];
    long[][] maxPerSecond = new long[levels][opts.windowSeconds()];
    for (int k = 0; k < levels; k++) {
      lat[k] = new LongList();
    }
    BinaryMessageDecoder<Score> decoder = Score.getDecoder();
    Score[] reuse = {null};
    TopicSpan.readAll(
        kafka.bootstrapServers(),
        cfg.scoresTopic(),
        (appendTime, value) -> {
          try {
            reuse[0] = decoder.decode(ByteBuffer.wrap(value), reuse[0]);
          } catch (IOException e) {
            throw new IllegalStateException("cannot decode a Score: " + e.getMessage(), e);
          }
          long eventTime = reuse[0].getEventTime().toEpochMilli();
          for (int k = 0; k < levels; k++) {
            if (eventTime >= windowStart[k] && eventTime < windowEnd[k]) {
              lat[k].add(appendTime - eventTime);
              int second =
                  (int) Math.min(opts.windowSeconds() - 1, (eventTime - windowStart[k]) / 1000);
              maxPerSecond[k][second] = Math.max(maxPerSecond[k][second], appendTime - eventTime);
            }
          }
        });

    List<Map<String, Object>> out = new ArrayList<>();
    XYChart chart =
        Charts.xy(
            "vaeguard job (fp32, batch 256, max wait 10 ms): end-to-end latency CDF",
            "latency (ms): Score append time - Observation event time",
            "fraction of records");
    chart.getStyler().setXAxisLogarithmic(true);
    for (int k = 0; k < levels; k++) {
      Percentiles pc = new Percentiles(lat[k].values(), lat[k].size());
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
        m.put("maxMillisPerSecondOfWindow", maxPerSecond[k]);
        double[][] cdf = cdf(pc.sorted(), 400);
        chart
            .addSeries(
                String.format(
                    Locale.ROOT,
                    "%.0f%% load (%,.0f rec/s)",
                    100 * LOAD_LEVELS[k],
                    LOAD_LEVELS[k] * topRate),
                cdf[0],
                cdf[1])
            .setMarker(SeriesMarkers.NONE);
      }
      out.add(m);
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
    }
    Charts.savePng(chart, opts.out().resolve("latency-cdf.png"));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("topRateFromB", topRate);
    result.put("levels", out);
    return result;
  }

  /**
   * At most {@code points} steps of the empirical CDF; latencies below 1 ms plot at 0.5 ms (log
   * axis).
   */
  static double[][] cdf(long[] sorted, int points) {
    int n = sorted.length;
    int step = Math.max(1, n / points);
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < n; i += step) {
      pts.add(new double[] {Math.max(0.5, sorted[i]), (i + 1) / (double) n});
    }
    pts.add(new double[] {Math.max(0.5, sorted[n - 1]), 1.0});
    double[][] xy = new double[2][pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      xy[0][i] = pts.get(i)[0];
      xy[1][i] = pts.get(i)[1];
    }
    return xy;
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

  // ------------------------------------------------------------------ report

  @SuppressWarnings("unchecked")
  private void writeReport() {
    Json.write(opts.out().resolve("pipeline.json"), report);
    StringBuilder md = new StringBuilder();
    Map<String, Object> pre = (Map<String, Object>) report.get("preload");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d records; pre-load %.1f s (%,.0f records/s); machine %s, %s cores, load %s%n%n",
            opts.records(),
            pre == null ? Double.NaN : (double) pre.get("seconds"),
            pre == null ? Double.NaN : (double) pre.get("recordsPerSecond"),
            ((Map<String, Object>) report.get("machine")).get("cpu"),
            ((Map<String, Object>) report.get("machine")).get("cores"),
            ((Map<String, Object>) report.get("machine")).get("loadAverage")));
    List<Map<String, Object>> tp = (List<Map<String, Object>>) report.get("throughput");
    if (tp != null) {
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
      Map<String, Object> ratios = (Map<String, Object>) report.get("ratios");
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
    Map<String, Object> lat = (Map<String, Object>) report.get("latency");
    if (lat != null) {
      md.append(
              "\n| load | target records/s | sent records/s | measured | p50 ms | p95 ms | p99 ms | max ms |\n")
          .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (Map<String, Object> m : (List<Map<String, Object>>) lat.get("levels")) {
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
    Json.writeText(opts.out().resolve("pipeline.md"), md.toString());
  }

  private static void log(String line) {
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

  /** A growing array of longs. */
  static final class LongList {
    private long[] values = new long[1 << 16];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] values() {
      return values;
    }

    int size() {
      return size;
    }
  }
}
