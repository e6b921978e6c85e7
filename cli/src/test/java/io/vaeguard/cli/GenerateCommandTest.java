package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.cli.live.KafkaClients;
import io.vaeguard.local.kafka.LocalKafka;
import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.SyntheticCsv;
import io.vaeguard.model.synth.SyntheticGenerator;
import io.vaeguard.schema.Observation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vaeguard generate} against a real broker: one for the class, a topic per test. */
class GenerateCommandTest {

  @TempDir static Path brokerDir;
  static LocalKafka kafka;

  @TempDir Path dir;

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

  @Test
  void sendsDecodableObservationsWhoseLabelsMatchTheLabelsFile() throws IOException {
    String topic = "observations-" + UUID.randomUUID();
    kafka.createTopics(2, topic);
    Path labels = dir.resolve("out/labels.csv");

    CliRun run =
        CliRun.of(
            "generate",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--topic",
            topic,
            "--rate",
            0,
            "--count",
            600,
            "--entities",
            4,
            "--anomaly-rate",
            0.1,
            "--seed",
            5,
            "--start-time",
            "2024-01-01T00:00:00Z",
            "--labels-out",
            labels);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith("sent 600 records to " + topic + " on " + kafka.bootstrapServers());

    List<ConsumerRecord<String, byte[]>> records = consume(topic, 600);
    assertThat(records).hasSize(600);
    List<AnomalySpan> spans = SyntheticCsv.readSpans(labels);
    assertThat(spans).isNotEmpty();
    Set<AnomalySpan> seen = new HashSet<>();
    long anomalous = 0;
    for (ConsumerRecord<String, byte[]> rec : records) {
      Observation o = Observation.getDecoder().decode(rec.value());
      long t = o.getEventTime().toEpochMilli();
      assertThat(rec.key()).isEqualTo(o.getEntityId());
      assertThat(o.getFeatures().keySet())
          .containsExactlyInAnyOrderElementsOf(SyntheticGenerator.channelNames());
      Map<String, String> l = o.getLabels();
      AnomalySpan span =
          spans.stream().filter(s -> s.contains(o.getEntityId(), t)).findFirst().orElse(null);
      if (span == null) {
        assertThat(l)
            .as("labels of %s at %s", o.getEntityId(), t)
            .containsExactly(Map.entry("anomaly", "0"));
      } else {
        assertThat(l)
            .as("labels of %s at %s", o.getEntityId(), t)
            .containsOnly(Map.entry("anomaly", "1"), Map.entry("kind", span.kind().name()));
        seen.add(span);
        anomalous++;
      }
    }
    assertThat(seen)
        .as("every span in the file covers records that were sent")
        .hasSameSizeAs(spans);
    // 4 entities x 150 steps of 1 s from 2024-01-01T00:00:00Z
    long last = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli() + 149_000;
    assertThat(spans).allMatch(s -> s.endMillis() <= last);
    assertThat(run.out())
        .contains(spans.size() + " anomaly spans, " + anomalous + " anomalous records");
  }

  @Test
  void pacesToAboutTheRate() {
    String topic = "paced-" + UUID.randomUUID();
    kafka.createTopics(topic);
    long t0 = System.nanoTime();
    CliRun run =
        CliRun.of(
            "generate",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--topic",
            topic,
            "--rate",
            100,
            "--count",
            150,
            "--entities",
            3);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(run.exitCode()).as(run.toString()).isZero();
    // 150 records at 100/s: 1.5 s of pacing, plus connecting
    assertThat(seconds).isBetween(1.4, 10.0);
    assertThat(consume(topic, 150)).hasSize(150);
  }

  @Test
  void unreachableBrokerIsOneLineNamingTheAddressWithinSeconds() throws IOException {
    String address = "127.0.0.1:" + KafkaCommandTest.freePort();
    Path labels = dir.resolve("labels.csv");
    long t0 = System.nanoTime();
    CliRun run =
        CliRun.of(
            "generate", "--bootstrap-servers", address, "--count", 10, "--labels-out", labels);
    double seconds = (System.nanoTime() - t0) / 1e9;

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith("generate: cannot reach Kafka at " + address + " (no answer within 5 s)")
        .contains("--bootstrap-servers");
    assertThat(seconds).isLessThan(KafkaClients.CONNECT_TIMEOUT.toSeconds() + 5.0);
    assertThat(labels).doesNotExist();
  }

  @Test
  void badValuesAreOneLineErrors() {
    CliRun rate = CliRun.of("generate", "--rate", -5, "--count", 1);
    assertThat(rate.exitCode()).isEqualTo(2);
    assertThat(rate.errLines()).singleElement().asString().startsWith("generate: rate must be");
    CliRun start = CliRun.of("generate", "--start-time", "yesterday", "--count", 1);
    assertThat(start.errLines())
        .singleElement()
        .asString()
        .startsWith("generate: --start-time 'yesterday'");
  }

  private static List<ConsumerRecord<String, byte[]>> consume(String topic, int expected) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(KafkaClients.consumer(kafka.bootstrapServers(), "test"))) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // anything beyond the expected count would show up now
      c.poll(Duration.ofMillis(300)).forEach(out::add);
    }
    return out;
  }
}
