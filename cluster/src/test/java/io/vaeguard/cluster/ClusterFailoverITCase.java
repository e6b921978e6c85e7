package io.vaeguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.local.kafka.KafkaTestClients;
import io.vaeguard.local.kafka.LocalKafka;
import io.vaeguard.pipeline.generator.LabelledObservations;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.Observation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real standalone cluster: a KRaft broker and a Flink JobManager and two
 * TaskManagers, each in its own JVM, the shaded job jar ({@code pipeline/target/vaeguard-job.jar},
 * built by the reactor before this module) submitted over Flink's REST API, Avro records in and
 * out.
 *
 * <p>Input topics have two partitions for parallelism 2 (one per source subtask); records are keyed
 * by entity, so each entity's records stay in order in one partition, and a run's alerts do not
 * depend on how the two partitions interleave. Each TaskManager has one slot, so both run a part of
 * the job and killing either one hits it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterFailoverITCase {

  private static final Path HOME =
      Path.of(System.getProperty("vaeguard.home", "..")).toAbsolutePath().normalize();
  private static final Path JOB_JAR = HOME.resolve("pipeline/target/vaeguard-job.jar");
  private static final String JOB_MAIN = "io.vaeguard.pipeline.job.VaeguardJobMain";

  @TempDir static Path work;
  static LocalKafka kafka;
  static FlinkStandaloneCluster flink;
  static String jarId;

  @BeforeAll
  static void start() throws Exception {
    assertThat(JOB_JAR)
        .as("the shaded job jar; build it with `mvn -DskipTests -pl pipeline -am package`")
        .isRegularFile();
    long t0 = System.nanoTime();
    CompletableFuture<LocalKafka> broker =
        CompletableFuture.supplyAsync(() -> LocalKafka.builder(work.resolve("kafka")).start());
    try {
      flink =
          FlinkStandaloneCluster.builder(work.resolve("flink"))
              .confDir(HOME.resolve("flink-conf"))
              .restPort(0)
              .rpcPort(0)
              .taskManagers(2)
              // notice the killed TaskManager within a few seconds, restart soon after
              .config("heartbeat.interval", "1 s")
              .config("heartbeat.timeout", "10 s")
              .config("restart-strategy.exponential-delay.initial-backoff", "1 s")
              .start();
    } finally {
      kafka = broker.get(120, TimeUnit.SECONDS);
    }
    System.out.printf(
        "cluster: REST after %.1f s, 2 TaskManagers registered after %.1f s; broker and cluster up after %.1f s%n",
        flink.restReadyAfter().toMillis() / 1e3,
        flink.taskManagersReadyAfter().toMillis() / 1e3,
        (System.nanoTime() - t0) / 1e9);
    long u0 = System.nanoTime();
    jarId = flink.rest().uploadJar(JOB_JAR);
    System.out.printf(
        "job jar (%d MB) uploaded in %.1f s%n",
        Files.size(JOB_JAR) >> 20, (System.nanoTime() - u0) / 1e9);
  }

  @AfterAll
  static void stop() {
    try {
      if (flink != null) {
        flink.close();
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /** Topics of one job run. */
  record Topics(String input, String alerts, String deadLetters, String group) {
    static Topics create() {
      String id = UUID.randomUUID().toString().substring(0, 8);
      Topics t = new Topics("obs-" + id, "alerts-" + id, "dead-" + id, "it-" + id);
      kafka.createTopics(2, t.input);
      kafka.createTopics(1, t.alerts, t.deadLetters);
      return t;
    }
  }

  /** Submits the job jar over REST and waits until all its tasks run; returns the job id. */
  private static String submit(Topics t) {
    List<String> args =
        List.of(
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--input-topic",
            t.input(),
            "--alerts-topic",
            t.alerts(),
            "--dead-letter-topic",
            t.deadLetters(),
            "--group-id",
            t.group(),
            "--starting-offsets",
            "earliest",
            "--model-dir",
            "classpath:models/default",
            "--parallelism",
            "2",
            "--checkpoint-interval-ms",
            "500",
            "--delivery-guarantee",
            "exactly-once",
            "--transactional-id-prefix",
            t.group(),
            "--alert-cooldown-ms",
            "300000");
    long t0 = System.nanoTime();
    String job = flink.rest().runJar(jarId, JOB_MAIN, args, null);
    flink.rest().awaitRunning(job, Duration.ofSeconds(90));
    System.out.printf(
        "job %s running %.1f s after its submission%n", job, (System.nanoTime() - t0) / 1e9);
    return job;
  }

  /** Runs the whole stream through a job without a failure and returns its alerts (entity@time). */
  private static List<String> alertsOf(List<Observation> stream, Topics t) throws Exception {
    KafkaTestClients.produce(kafka.bootstrapServers(), t.input(), keyed(stream));
    String job = submit(t);
    KafkaTestClients.awaitConsumed(
        kafka.bootstrapServers(), t.group(), t.input(), Duration.ofSeconds(90));
    List<String> alerts =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.alerts(),
            Integer.MAX_VALUE,
            Duration.ZERO,
            Duration.ofSeconds(3),
            b -> key(decode(b)));
    flink.rest().cancel(job, Duration.ofSeconds(30));
    return alerts;
  }

  @Test
  void aLabelledStreamSubmittedOverRestRaisesAlertsOnTheAnomalies() throws Exception {
    List<Observation> stream = labelledStream(31, 10, 480, 0.03);
    Topics t = Topics.create();
    List<String> events = alertsOf(stream, t);
    List<String> alerts =
        events.stream().filter(k -> !k.startsWith("resolve ")).map(k -> row(k)).toList();
    List<String> opens =
        events.stream().filter(k -> k.startsWith("open ")).map(k -> row(k)).toList();
    assertThat(events.size() - alerts.size()).as("resolve events close episodes").isPositive();

    Map<String, Observation> byKey = new HashMap<>();
    stream.forEach(o -> byKey.put(key(o), o));
    Map<String, String> spanOf = spanIds(stream);
    int onAnomalies = 0;
    Set<String> alerted = new HashSet<>();
    for (String a : alerts) {
      Observation o = byKey.get(a);
      assertThat(o).as("alert %s matches an input record", a).isNotNull();
      onAnomalies += "1".equals(o.getLabels().get("anomaly")) ? 1 : 0;
      if (spanOf.containsKey(a)) {
        alerted.add(spanOf.get(a));
      }
    }
    long opensOnAnomalies =
        opens.stream().filter(a -> "1".equals(byKey.get(a).getLabels().get("anomaly"))).count();
    // Spans of the kinds a snapshot model sees (a spike or a level shift): each should raise an
    // alert.
    Set<String> spans = new HashSet<>();
    stream.stream()
        .filter(o -> spanOf.containsKey(key(o)))
        .filter(o -> Set.of("SPIKE", "LEVEL_SHIFT").contains(o.getLabels().get("kind")))
        .forEach(o -> spans.add(spanOf.get(key(o))));
    long caught = spans.stream().filter(alerted::contains).count();
    double precision = (double) opensOnAnomalies / opens.size();
    double rowPrecision = (double) onAnomalies / alerts.size();
    System.out.printf(
        "labelled stream on the cluster: %d records, %d alerts (%d episodes), precision of episodes %.3f,"
            + " of all alerts %.3f, %d/%d spike+shift spans caught%n",
        stream.size(), alerts.size(), opens.size(), precision, rowPrecision, caught, spans.size());
    assertThat(alerts).hasSizeGreaterThan(5).doesNotHaveDuplicates();
    assertThat(spans).hasSizeGreaterThan(3);
    // The target false-alarm rate (0.1% of rows) allows a few false episodes in 4,800 rows.
    assertThat(precision).isGreaterThan(0.6);
    assertThat(rowPrecision).isGreaterThan(0.5);
    assertThat((double) caught / spans.size()).isGreaterThan(0.7);
  }

  @Test
  void aTaskManagerKilledMidStreamLosesAndDuplicatesNoAlert() throws Exception {
    List<Observation> stream = labelledStream(32, 10, 480, 0.03);
    List<Observation> first = stream.subList(0, stream.size() / 2);
    List<Observation> second = stream.subList(stream.size() / 2, stream.size());

    // The reference: the same records through the same job on the same cluster, without a failure.
    List<String> expected = alertsOf(stream, Topics.create());
    assertThat(expected).hasSizeGreaterThan(5).doesNotHaveDuplicates();

    Topics t = Topics.create();
    KafkaTestClients.produce(kafka.bootstrapServers(), t.input(), keyed(first));
    String job = submit(t);
    // Wait until alerts of the first half are committed, i.e. a checkpoint has completed ...
    List<String> before =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.alerts(),
            1,
            Duration.ZERO,
            Duration.ofSeconds(60),
            b -> key(decode(b)));
    assertThat(before).isNotEmpty();

    // ... then, while the second half streams in, kill a TaskManager (SIGKILL) and start another
    // one.
    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(
            () -> {
              List<KafkaTestClients.Keyed> rest = keyed(second);
              for (int i = 0; i < rest.size(); i += 200) {
                KafkaTestClients.produce(
                    kafka.bootstrapServers(),
                    t.input(),
                    rest.subList(i, Math.min(rest.size(), i + 200)));
                sleep(250);
              }
            });
    sleep(1000);
    int victim = flink.taskManagerIndexes().get(0);
    long killedAt = System.nanoTime();
    flink.killTaskManager(victim);
    int replacement = flink.addTaskManager();
    producing.get(60, TimeUnit.SECONDS);

    // The job notices, restarts from the last checkpoint on the new TaskManager and runs again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (flink.rest().exceptionHistory(job).isEmpty() && System.nanoTime() < deadline) {
      sleep(200);
    }
    List<String> failures = flink.rest().exceptionHistory(job);
    assertThat(failures)
        .as("the job's failures after TaskManager %d was killed", victim)
        .isNotEmpty();
    flink.awaitTaskManagers(2, Duration.ofSeconds(60));
    flink.rest().awaitRunning(job, Duration.ofSeconds(90));
    System.out.printf(
        "failover: taskmanager-%d killed, taskmanager-%d started; job RUNNING again %.1f s after the kill"
            + " (first failure: %s)%n",
        victim,
        replacement,
        (System.nanoTime() - killedAt) / 1e9,
        failures.get(failures.size() - 1));

    KafkaTestClients.awaitConsumed(
        kafka.bootstrapServers(), t.group(), t.input(), Duration.ofSeconds(90));
    List<String> alerts =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.alerts(),
            expected.size(),
            Duration.ofSeconds(3),
            Duration.ofSeconds(30),
            b -> key(decode(b)));
    assertThat(flink.rest().jobState(job)).isEqualTo("RUNNING");
    flink.rest().cancel(job, Duration.ofSeconds(30));
    System.out.printf(
        "failover: %d alerts committed, %d expected%n", alerts.size(), expected.size());
    assertThat(alerts).doesNotHaveDuplicates();
    assertThat(alerts).containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * Issue 14's scenario: TaskManagers killed again and again while records stream in, each followed
   * by a replacement. With a fixed-delay strategy of 10 attempts the job went to FAILED (the
   * attempts burnt while a replacement registered); with the shipped exponential-delay strategy,
   * unlimited, it rides out every kill and every alert arrives once.
   */
  @Test
  void theJobRidesOutRepeatedTaskManagerKills() throws Exception {
    int kills = 6;
    List<Observation> stream = labelledStream(33, 10, 480, 0.03);
    List<String> expected = alertsOf(stream, Topics.create());
    assertThat(expected).hasSizeGreaterThan(5).doesNotHaveDuplicates();

    Topics t = Topics.create();
    List<KafkaTestClients.Keyed> records = keyed(stream);
    int chunk = records.size() / (kills + 2);
    KafkaTestClients.produce(kafka.bootstrapServers(), t.input(), records.subList(0, chunk));
    String job = submit(t);
    flink.rest().awaitRunning(job, Duration.ofSeconds(90));
    long started = System.nanoTime();
    List<Double> recoveries = new java.util.ArrayList<>();
    for (int k = 1; k <= kills; k++) {
      // a slice of the stream, then a kill and a replacement, while the job is recovering or not
      KafkaTestClients.produce(
          kafka.bootstrapServers(),
          t.input(),
          records.subList(k * chunk, Math.min(records.size(), (k + 1) * chunk)));
      sleep(3000);
      int victim = flink.taskManagerIndexes().get(0);
      long killedAt = System.nanoTime();
      flink.killTaskManager(victim);
      flink.addTaskManager();
      flink.awaitTaskManagers(2, Duration.ofSeconds(60));
      flink.rest().awaitRunning(job, Duration.ofSeconds(180));
      recoveries.add((System.nanoTime() - killedAt) / 1e9);
    }
    KafkaTestClients.produce(
        kafka.bootstrapServers(), t.input(), records.subList((kills + 1) * chunk, records.size()));
    KafkaTestClients.awaitConsumed(
        kafka.bootstrapServers(), t.group(), t.input(), Duration.ofSeconds(180));
    List<String> alerts =
        KafkaTestClients.readCommitted(
            kafka.bootstrapServers(),
            t.alerts(),
            expected.size(),
            Duration.ofSeconds(3),
            Duration.ofSeconds(60),
            b -> key(decode(b)));
    assertThat(flink.rest().jobState(job)).isEqualTo("RUNNING");
    int failures = flink.rest().exceptionHistory(job).size();
    flink.rest().cancel(job, Duration.ofSeconds(30));
    System.out.printf(
        "repeated kills: %d TaskManagers killed in %.0f s, the job RUNNING again after each in %s s;"
            + " %d failures in its history; %d records, %d alerts committed, %d expected%n",
        kills,
        (System.nanoTime() - started) / 1e9,
        recoveries.stream().map(r -> String.format("%.1f", r)).toList(),
        failures,
        records.size(),
        alerts.size(),
        expected.size());
    assertThat(alerts).doesNotHaveDuplicates();
    assertThat(alerts).containsExactlyInAnyOrderElementsOf(expected);
  }

  // ---------------------------------------------------------------- records

  /** Labelled synthetic readings as Observations, in time order across entities. */
  static List<Observation> labelledStream(long seed, int entities, int steps, double anomalyRate) {
    return LabelledObservations.stream(seed, entities, steps, anomalyRate);
  }

  /** Avro single-object encoding, keyed by entity. */
  static List<KafkaTestClients.Keyed> keyed(List<Observation> observations) {
    List<KafkaTestClients.Keyed> out = new ArrayList<>();
    for (Observation o : observations) {
      out.add(
          new KafkaTestClients.Keyed(
              o.getEntityId().getBytes(StandardCharsets.UTF_8), LabelledObservations.encode(o)));
    }
    return out;
  }

  private static Alert decode(byte[] bytes) {
    try {
      return Alert.getDecoder().decode(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An alert event by its kind and row: {@code open entity@time}. */
  private static String key(Alert a) {
    return a.getEvent()
        + " "
        + LabelledObservations.key(a.getEntityId(), a.getEventTime().toEpochMilli());
  }

  private static String row(String eventKey) {
    return eventKey.substring(eventKey.indexOf(' ') + 1);
  }

  private static String key(Observation o) {
    return LabelledObservations.key(o.getEntityId(), o.getEventTime().toEpochMilli());
  }

  static Map<String, String> spanIds(List<Observation> stream) {
    return LabelledObservations.anomalySpans(stream);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
