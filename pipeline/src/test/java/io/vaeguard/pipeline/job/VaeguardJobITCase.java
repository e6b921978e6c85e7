package io.vaeguard.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.local.kafka.KafkaTestClients;
import io.vaeguard.local.kafka.LocalKafka;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.config.JobOptions;
import io.vaeguard.pipeline.generator.LabelledObservations;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.DeadLetter;
import io.vaeguard.schema.FeatureShare;
import io.vaeguard.schema.Observation;
import io.vaeguard.schema.Score;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job end to end on real parts: a KRaft broker in its own JVM, a Flink MiniCluster, the shipped
 * default model in ONNX Runtime, Avro in and out. Topics are new for every test.
 */
class VaeguardJobITCase {

  private static final Path MODEL = Path.of("../models/default").toAbsolutePath().normalize();

  @TempDir static Path work;
  static LocalKafka kafka;
  static MiniCluster flink;
  static InMemoryReporter reporter;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.builder(work.resolve("kafka")).start();
    reporter = InMemoryReporter.createWithRetainedMetrics();
    Configuration conf = reporter.addToConfiguration(LoopbackMiniCluster.configuration(0, 2));
    flink = LoopbackMiniCluster.create(conf, 2);
    flink.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (flink != null) {
      flink.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Topics of one test. */
  record Topics(String input, String alerts, String scores, String deadLetters) {
    static Topics create() {
      String id = UUID.randomUUID().toString().substring(0, 8);
      Topics t = new Topics("obs-" + id, "alerts-" + id, "scores-" + id, "dead-" + id);
      kafka.createTopics(t.input, t.alerts, t.scores, t.deadLetters);
      return t;
    }
  }

  private static JobConfig.Builder config(Topics t) {
    return JobConfig.builder()
        .set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
        .set(JobOptions.INPUT_TOPIC, t.input())
        .set(JobOptions.ALERTS_TOPIC, t.alerts())
        .set(JobOptions.SCORES_TOPIC, t.scores())
        .set(JobOptions.DEAD_LETTER_TOPIC, t.deadLetters())
        .set(JobOptions.GROUP_ID, "it-" + t.input())
        .set(JobOptions.STARTING_OFFSETS, "earliest")
        .set(JobOptions.MODEL_DIR, MODEL.toString())
        .set(JobOptions.CHECKPOINT_INTERVAL, "500")
        .set(JobOptions.COOLDOWN, "300000");
  }

  /** Submits the job; bounded jobs read what the topic holds at start and then finish. */
  private static JobID submit(JobConfig cfg, boolean bounded) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    var source =
        bounded
            ? KafkaConnectors.sourceBuilder(cfg).setBounded(OffsetsInitializer.latest()).build()
            : KafkaConnectors.source(cfg);
    VaeguardJob.build(env, cfg, source, KafkaConnectors.sinks(cfg));
    return flink.submitJob(env.getStreamGraph()).get(30, TimeUnit.SECONDS).getJobID();
  }

  private static void awaitSuccess(JobID id) throws Exception {
    JobResult result = flink.requestJobResult(id).get(120, TimeUnit.SECONDS);
    assertThat(result.getApplicationStatus().name())
        .as("job outcome: %s", result.getSerializedThrowable())
        .isEqualTo("SUCCEEDED");
  }

  private static List<Observation> labelledStream(
      long seed, int entities, int steps, double anomalyRate) {
    return LabelledObservations.stream(seed, entities, steps, anomalyRate);
  }

  private static List<byte[]> encode(List<Observation> observations) {
    return LabelledObservations.encode(observations);
  }

  private static byte[] encode(Observation o) {
    return LabelledObservations.encode(o);
  }

  private static byte[] bytes(ByteBuffer buf) {
    byte[] b = new byte[buf.remaining()];
    buf.get(b);
    return b;
  }

  private static <T> T decode(
      byte[] bytes, org.apache.avro.message.BinaryMessageDecoder<T> decoder) {
    try {
      return decoder.decode(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String key(Alert a) {
    return LabelledObservations.key(a.getEntityId(), a.getEventTime().toEpochMilli());
  }

  private static String key(Observation o) {
    return LabelledObservations.key(o.getEntityId(), o.getEventTime().toEpochMilli());
  }

  @Test
  void labelledStreamGivesAlertsForTheAnomaliesAndNotForNormalData() throws Exception {
    Topics t = Topics.create();
    List<Observation> stream = labelledStream(21, 10, 720, 0.03);
    KafkaTestClients.produceValues(kafka.bootstrapServers(), t.input(), encode(stream));

    awaitSuccess(submit(config(t).build(), true));

    List<Alert> events =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.alerts(),
            1,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            b -> decode(b, Alert.getDecoder()));
    Map<String, Observation> byKey = new HashMap<>();
    stream.forEach(o -> byKey.put(key(o), o));
    // Resolve events close episodes: normal rows, below the threshold, after an open of the same
    // entity.
    List<Alert> alerts =
        events.stream().filter(a -> !"resolve".equals(a.getEvent().toString())).toList();
    for (Alert r : events) {
      if ("resolve".equals(r.getEvent().toString())) {
        assertThat(r.getScore()).isLessThan(r.getThreshold());
        assertThat(r.getEpisodeStart()).isBefore(r.getEventTime());
        assertThat(r.getPeakSeverity()).isBetween(1, 100);
      }
    }

    int onAnomalies = 0;
    for (Alert a : alerts) {
      Observation o = byKey.get(key(a));
      assertThat(o).as("alert %s matches an input record", key(a)).isNotNull();
      onAnomalies += "1".equals(o.getLabels().get("anomaly")) ? 1 : 0;
      assertThat(a.getTopFeatures()).hasSize(3);
      assertThat(a.getTopFeatures().stream().mapToDouble(FeatureShare::getShare).sum())
          .isLessThanOrEqualTo(1.0001);
      assertThat(a.getScore()).isGreaterThanOrEqualTo(a.getThreshold());
      assertThat(a.getSeverity()).isBetween(1, 100);
      assertThat(a.getEvent().toString()).isIn("open", "repeat");
      assertThat(a.getModelName()).isEqualTo("vaeguard-default");
    }
    // Spans of the kinds a snapshot model sees (a spike or a level shift): each should raise an
    // alert.
    Map<String, String> spanOf = spanIds(stream);
    Set<String> spans = new HashSet<>();
    stream.stream()
        .filter(o -> spanOf.containsKey(key(o)))
        .filter(o -> Set.of("SPIKE", "LEVEL_SHIFT").contains(o.getLabels().get("kind")))
        .forEach(o -> spans.add(spanOf.get(key(o))));
    Set<String> alerted = new HashSet<>();
    for (Alert a : alerts) {
      String span = spanOf.get(key(a));
      if (span != null) {
        alerted.add(span);
      }
    }
    long caught = spans.stream().filter(alerted::contains).count();
    // An episode is one incident: its open alert must be on an anomaly. Repeats may fall on the
    // normal rows just after a span, while the moving average comes down (the episode's tail).
    List<Alert> opens =
        alerts.stream().filter(a -> "open".equals(a.getEvent().toString())).toList();
    long opensOnAnomalies =
        opens.stream()
            .filter(a -> "1".equals(byKey.get(key(a)).getLabels().get("anomaly")))
            .count();
    double precision = (double) opensOnAnomalies / opens.size();
    double rowPrecision = (double) onAnomalies / alerts.size();
    double spanRecall = (double) caught / spans.size();
    System.out.printf(
        "labelled stream: %d records, %d alerts (%d episodes), precision of episodes %.3f, of all alerts"
            + " %.3f, %d/%d spike+shift spans caught%n",
        stream.size(), alerts.size(), opens.size(), precision, rowPrecision, caught, spans.size());
    assertThat(alerts.size()).isGreaterThan(5);
    assertThat(spans.size()).isGreaterThan(3);
    // The target false-alarm rate (0.1% of rows) allows a few false episodes in 7,200 rows.
    assertThat(precision).isGreaterThan(0.6);
    assertThat(rowPrecision).isGreaterThan(0.5);
    assertThat(spanRecall).isGreaterThan(0.7);
  }

  /**
   * Stream equals offline: the same labelled rows through the job (MiniCluster, the real broker)
   * and through the offline scorer that {@code vaeguard score} runs give the same decision,
   * severity and score for every row, and the same alert events.
   */
  @Test
  void theJobDecidesEveryRowAsTheOfflineScorerDoes() throws Exception {
    Topics t = Topics.create();
    List<Observation> stream = labelledStream(23, 8, 600, 0.06);
    KafkaTestClients.produceValues(kafka.bootstrapServers(), t.input(), encode(stream));
    awaitSuccess(submit(config(t).build(), true));

    List<Score> scores =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.scores(),
            stream.size(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            b -> decode(b, Score.getDecoder()));
    List<Alert> events =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.alerts(),
            1,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            b -> decode(b, Alert.getDecoder()));
    assertThat(scores).hasSize(stream.size());

    // Offline, as `vaeguard score` does: the card's features in order, every entity's rows in
    // order.
    io.vaeguard.model.card.ModelCard card =
        io.vaeguard.model.card.ModelCards.read(
            MODEL.resolve("fp32").resolve(io.vaeguard.model.card.ModelCard.CARD_FILE));
    double[][] rows = new double[stream.size()][];
    String[] entities = new String[stream.size()];
    long[] times = new long[stream.size()];
    for (int i = 0; i < rows.length; i++) {
      Observation o = stream.get(i);
      rows[i] = card.features().stream().mapToDouble(f -> o.getFeatures().get(f)).toArray();
      entities[i] = o.getEntityId().toString();
      times[i] = o.getEventTime().toEpochMilli();
    }
    io.vaeguard.model.offline.RowScores offline;
    try (var scorer =
        io.vaeguard.model.scorer.VaeScorer.open(
            MODEL,
            io.vaeguard.model.Precision.FP32,
            io.vaeguard.model.scorer.ScorerOptions.defaults())) {
      var detector =
          io.vaeguard.model.detect.Detector.of(card, Duration.ofMillis(300000), Double.NaN);
      offline =
          io.vaeguard.model.offline.TableScorer.score(scorer, detector, rows, entities, times);
    }

    Map<String, Score> streamed = new HashMap<>();
    scores.forEach(
        sc ->
            streamed.put(
                LabelledObservations.key(sc.getEntityId(), sc.getEventTime().toEpochMilli()), sc));
    int anomalous = 0;
    Set<String> offlineEvents = new HashSet<>();
    for (int i = 0; i < rows.length; i++) {
      String k = key(stream.get(i));
      Score sc = streamed.get(k);
      assertThat(sc).as("a Score for %s", k).isNotNull();
      assertThat(sc.getAlert()).as("decision of %s", k).isEqualTo(offline.alert()[i]);
      assertThat(sc.getSeverity()).as("severity of %s", k).isEqualTo(offline.severity()[i]);
      assertThat(sc.getScore())
          .as("score of %s", k)
          .isCloseTo(offline.score()[i], org.assertj.core.data.Offset.offset(1e-6));
      assertThat(sc.getStatistic())
          .as("statistic of %s", k)
          .isCloseTo(offline.statistic()[i], org.assertj.core.data.Percentage.withPercentage(1e-3));
      anomalous += offline.alert()[i] ? 1 : 0;
      if (offline.event()[i].emits()) {
        offlineEvents.add(offline.event()[i].name().toLowerCase(java.util.Locale.ROOT) + " " + k);
      }
    }
    Set<String> streamEvents = new HashSet<>();
    events.forEach(a -> streamEvents.add(a.getEvent() + " " + key(a)));
    System.out.printf(
        "stream vs offline: %d rows, %d anomalous, %d alert events, identical%n",
        rows.length, anomalous, events.size());
    assertThat(anomalous).as("the comparison covers anomalous rows").isGreaterThan(20);
    assertThat(streamEvents).hasSize(events.size()).isEqualTo(offlineEvents);
    assertThat(offlineEvents).anyMatch(e -> e.startsWith("resolve "));
  }

  @Test
  void badRecordsGoToTheDeadLetterTopicAndTheJobKeepsScoring() throws Exception {
    Topics t = Topics.create();
    List<Observation> good = labelledStream(22, 4, 50, 0);
    List<byte[]> input = new ArrayList<>(encode(good.subList(0, 100)));
    byte[] garbage = "this is not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] otherSchema =
        bytes(
            Alert.newBuilder()
                .setEntityId("x")
                .setEventTime(Instant.EPOCH)
                .setDetectionTime(Instant.EPOCH)
                .setModelName("m")
                .setModelVersion("1")
                .setScore(1)
                .setSeverity(100)
                .setReconstructionError(1)
                .setKl(0)
                .setThreshold(0.5)
                .setTopFeatures(List.of())
                .build()
                .toByteBuffer());
    Observation template = good.get(0);
    Map<String, Double> nanFeatures = new HashMap<>(template.getFeatures());
    nanFeatures.put("pressure", Double.NaN);
    Map<String, Double> missing = new HashMap<>(template.getFeatures());
    missing.remove("rpm");
    byte[] nan = encode(Observation.newBuilder(template).setFeatures(nanFeatures).build());
    byte[] lacking = encode(Observation.newBuilder(template).setFeatures(missing).build());
    input.addAll(List.of(garbage, otherSchema, nan, lacking));
    input.addAll(encode(good.subList(100, 200)));
    KafkaTestClients.produceValues(kafka.bootstrapServers(), t.input(), input);

    JobID job = submit(config(t).build(), true);
    awaitSuccess(job);

    List<DeadLetter> dead =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.deadLetters(),
            4,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            b -> decode(b, DeadLetter.getDecoder()));
    List<Score> scores =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.scores(),
            200,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            b -> decode(b, Score.getDecoder()));
    assertThat(dead)
        .extracting(DeadLetter::getReason)
        .satisfiesExactly(
            r -> assertThat(r).startsWith("undecodable: not Avro single-object encoding"),
            r -> assertThat(r).startsWith("unknown schema"),
            r -> assertThat(r).isEqualTo("non-finite feature: pressure=NaN"),
            r -> assertThat(r).isEqualTo("missing feature: rpm"));
    assertThat(dead).allSatisfy(d -> assertThat(d.getTopic()).isEqualTo(t.input()));
    assertThat(dead).extracting(DeadLetter::getOffset).containsExactly(100L, 101L, 102L, 103L);
    assertThat(dead.get(0).getPayload().array()).isEqualTo(garbage);
    // Every input record is accounted for: scored or dead-lettered, none twice.
    assertThat(scores).hasSize(200);
    assertThat(
            scores.stream()
                .map(sc -> sc.getEntityId() + "@" + sc.getEventTime().toEpochMilli())
                .distinct())
        .hasSize(200);
    assertThat(counter(job, "recordsIn")).isEqualTo(204);
    assertThat(counter(job, "deadLettered")).isEqualTo(4);
    assertThat(counter(job, "scored")).isEqualTo(200);
  }

  @Test
  void afterATaskManagerFailsEachAlertIsCommittedExactlyOnce() throws Exception {
    List<Observation> stream = labelledStream(23, 10, 480, 0.03);
    List<Observation> first = stream.subList(0, stream.size() / 2);
    List<Observation> second = stream.subList(stream.size() / 2, stream.size());

    // The reference: the same records through the job without a failure.
    Topics ref = Topics.create();
    KafkaTestClients.produceValues(kafka.bootstrapServers(), ref.input(), encode(stream));
    awaitSuccess(submit(config(ref).build(), true));
    List<String> expected =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            ref.alerts(),
            1,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            b -> key(decode(b, Alert.getDecoder())));
    assertThat(expected).hasSizeGreaterThan(5).doesNotHaveDuplicates();

    Topics t = Topics.create();
    KafkaTestClients.produceValues(kafka.bootstrapServers(), t.input(), encode(first));
    JobID job = submit(config(t).build(), false);
    // Wait until alerts of the first half are committed, i.e. a checkpoint has completed ...
    List<String> before =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.alerts(),
            1,
            Duration.ZERO,
            Duration.ofSeconds(60),
            b -> key(decode(b, Alert.getDecoder())));
    assertThat(before).isNotEmpty();
    // ... then take the TaskManager away mid-stream and give the cluster a new one.
    flink.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
    flink.startTaskManager();
    KafkaTestClients.produceValues(kafka.bootstrapServers(), t.input(), encode(second));

    List<String> alerts =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.alerts(),
            expected.size(),
            Duration.ofSeconds(3),
            Duration.ofSeconds(90),
            b -> key(decode(b, Alert.getDecoder())));
    assertThat(flink.getJobStatus(job).get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
    flink.cancelJob(job).get(30, TimeUnit.SECONDS);
    assertThat(alerts).doesNotHaveDuplicates();
    assertThat(alerts).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aBurstFillsBatchesAndATrickleIsScoredWithinTheMaxWait() throws Exception {
    Topics burst = Topics.create();
    KafkaTestClients.produceValues(
        kafka.bootstrapServers(), burst.input(), encode(labelledStream(24, 20, 1000, 0.01)));
    JobID burstJob = submit(config(burst).build(), true);
    awaitSuccess(burstJob);
    Histogram batches = histogram(burstJob, "batchSize");
    System.out.printf(
        "burst: %d batches, mean size %.1f, max %d%n",
        batches.getCount(), batches.getStatistics().getMean(), batches.getStatistics().getMax());
    assertThat(batches.getStatistics().getMean()).isGreaterThan(100);

    // A trickle: one record at a time, the next only after the previous one's score is out. With
    // batches of 256 and a 50 ms maximum wait, each record must be scored alone by the timer.
    Topics trickle = Topics.create();
    JobConfig cfg =
        config(trickle)
            .set(JobOptions.MAX_WAIT, "50")
            .set(JobOptions.DELIVERY, "at-least-once")
            .set(JobOptions.CHECKPOINT_INTERVAL, "60000")
            .build();
    JobID trickleJob = submit(cfg, false);
    List<Observation> records = labelledStream(25, 1, 5, 0);
    for (int i = 0; i < records.size(); i++) {
      KafkaTestClients.produceValues(
          kafka.bootstrapServers(), trickle.input(), List.of(encode(records.get(i))));
      List<Score> seen =
          KafkaTestClients.readCommitted(
              kafka.bootstrapServers(),
              trickle.scores(),
              i + 1,
              Duration.ZERO,
              Duration.ofSeconds(30),
              b -> decode(b, Score.getDecoder()));
      assertThat(seen).hasSize(i + 1);
    }
    Histogram trickleBatches = histogram(trickleJob, "batchSize");
    flink.cancelJob(trickleJob).get(30, TimeUnit.SECONDS);
    assertThat(trickleBatches.getCount()).isEqualTo(5);
    assertThat(trickleBatches.getStatistics().getMax()).isEqualTo(1);
  }

  private static long counter(JobID job, String name) {
    return reporter.findMetrics(job, name).values().stream()
        .filter(m -> m instanceof org.apache.flink.metrics.Counter)
        .mapToLong(m -> ((org.apache.flink.metrics.Counter) m).getCount())
        .sum();
  }

  private static Histogram histogram(JobID job, String name) {
    Map<String, Metric> found = reporter.findMetrics(job, name);
    assertThat(found).as("metric %s of job %s", name, job).hasSize(1);
    return (Histogram) found.values().iterator().next();
  }

  static Map<String, String> spanIds(List<Observation> stream) {
    return LabelledObservations.anomalySpans(stream);
  }
}
