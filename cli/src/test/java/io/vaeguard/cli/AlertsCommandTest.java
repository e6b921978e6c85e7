package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.cli.live.AlertView;
import io.vaeguard.cli.live.KafkaClients;
import io.vaeguard.cli.live.TestAlerts;
import io.vaeguard.local.kafka.LocalKafka;
import io.vaeguard.model.synth.AnomalyKind;
import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.Channel;
import io.vaeguard.model.synth.SyntheticCsv;
import io.vaeguard.pipeline.generator.LabelSource;
import io.vaeguard.schema.Alert;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live alert view ({@code vaeguard alerts} and {@link AlertView}) against a real broker. */
class AlertsCommandTest {

  @TempDir static Path brokerDir;
  static LocalKafka kafka;

  @TempDir Path dir;

  static final Instant T0 = Instant.parse("2024-01-01T12:00:00Z");

  @BeforeAll
  static void startBroker() {
    kafka = LocalKafka.builder(brokerDir).start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static Alert alert(String entity, long offsetMillis) {
    return TestAlerts.alert(
        entity,
        T0.plusMillis(offsetMillis),
        0.97,
        List.of(
            TestAlerts.share("pressure", 0.61),
            TestAlerts.share("flow", 0.22),
            TestAlerts.share("rpm", 0.09)));
  }

  static void send(String topic, Object... values) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(KafkaClients.producer(kafka.bootstrapServers(), "test"))) {
      for (Object v : values) {
        byte[] bytes =
            v instanceof Alert a
                ? TestAlerts.encode(a)
                : v.toString().getBytes(StandardCharsets.UTF_8);
        p.send(new ProducerRecord<>(topic, "k", bytes)).get(10, TimeUnit.SECONDS);
      }
    }
  }

  static AnomalySpan span(String entity, long startOffset, long endOffset) {
    return new AnomalySpan(
        entity,
        T0.toEpochMilli() + startOffset,
        T0.toEpochMilli() + endOffset,
        AnomalyKind.SPIKE,
        List.of(Channel.PRESSURE));
  }

  @Test
  void printsAlertsSkipsGarbageAndTalliesAgainstTheLabelsFile() throws Exception {
    String topic = "alerts-" + UUID.randomUUID();
    String input = "observations-" + UUID.randomUUID();
    kafka.createTopics(topic, input);
    send(input, "one", "two", "three");
    send(
        topic,
        alert("entity-001", 1500),
        "not an alert",
        alert("entity-002", 9000),
        alert("entity-001", 20_000));
    Path labels = dir.resolve("labels.csv");
    SyntheticCsv.writeSpans(
        labels,
        List.of(
            span("entity-001", 1000, 2000), // caught
            span("entity-003", 3000, 4000), // missed: alerts have reached 20 s
            span("entity-002", 30_000, 31_000))); // open

    CliRun run =
        CliRun.of(
            "alerts",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--topic",
            topic,
            "--labels",
            labels,
            "--input-topic",
            input,
            "--grace-millis",
            1000,
            "--max-alerts",
            3,
            "--zone",
            "UTC");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith(
            "alerts: reading "
                + topic
                + " on "
                + kafka.bootstrapServers()
                + " from the beginning; injected anomalies from "
                + labels);
    assertThat(lines)
        .containsSubsequence(
            "12:00:01  entity-001  sev 97  score 0.9700 (1 in 33)  pressure 61% flow 22% rpm 9%",
            "12:00:09  entity-002  sev 97  score 0.9700 (1 in 33)  pressure 61% flow 22% rpm 9%",
            "12:00:20  entity-001  sev 97  score 0.9700 (1 in 33)  pressure 61% flow 22% rpm 9%");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l).startsWith("alerts: skipped the record at " + topic + "-0 offset 1"));
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "-- \\d\\d:\\d\\d:\\d\\d  3 alerts \\(1 skipped: not"
                + " Alerts\\)  input 3 records  anomalies 3: 1 caught, 1 missed, 1 open \\(recall 50%\\),"
                + " 2 alerts outside them");
  }

  @Test
  void viewFromTheEndShowsOnlyNewAlertsAndStopsWhenAsked() throws Exception {
    String topic = "alerts-" + UUID.randomUUID();
    kafka.createTopics(topic);
    send(topic, alert("entity-000", 0)); // before the view starts: not shown
    StringWriter text = new StringWriter();
    List<AnomalySpan> spans = List.of(span("entity-007", 2000, 3000));
    AlertView view =
        AlertView.builder(kafka.bootstrapServers(), topic, new PrintWriter(text, true))
            .fromBeginning(false)
            .labels(
                LabelSource.of(
                    "test spans", () -> spans, () -> OptionalLong.of(T0.toEpochMilli() + 2500)))
            .zone(ZoneOffset.UTC)
            .tallyInterval(Duration.ofMillis(300))
            .build();
    CompletableFuture<AlertView.Result> result = CompletableFuture.supplyAsync(view::run);
    awaitText(text, "alerts: reading");
    send(topic, alert("entity-007", 2500));
    awaitText(text, "entity-007  sev 97");
    view.stop();
    AlertView.Result r = result.get(10, TimeUnit.SECONDS);

    assertThat(r.alerts()).isEqualTo(1);
    assertThat(r.score().caught()).isEqualTo(1);
    assertThat(text.toString())
        .doesNotContain("entity-000")
        .contains("from the end; injected anomalies from" + " test spans");
    assertThat(text.toString().lines().reduce((a, b) -> b).orElseThrow())
        .endsWith(
            "1 alert  anomalies 1: 1 caught, 0 missed, 0 open (recall 100%), 0 alerts outside them");
    assertThat(view.awaitFinished(Duration.ZERO)).isTrue();
  }

  private static void awaitText(StringWriter text, String wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!text.toString().contains(wanted)) {
      assertThat(System.nanoTime())
          .as("waiting for '%s' in:%n%s", wanted, text)
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
