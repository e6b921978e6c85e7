package io.vaeguard.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real brokers: one for the class, topics per test; lifecycle and failure tests start their own.
 */
class LocalKafkaTest {
  @TempDir static Path sharedDir;
  static LocalKafka kafka;

  @BeforeAll
  static void startBroker() {
    long t0 = System.nanoTime();
    kafka = LocalKafka.builder(sharedDir).startupTimeout(Duration.ofSeconds(45)).start();
    System.out.printf(
        "LocalKafka started in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, kafka);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      long pid = kafka.pid();
      kafka.close();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }
  }

  @Test
  void producesAndConsumes() {
    kafka.createTopics(3, "plain");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>("plain", "k" + i, "v" + i));
      }
      producer.flush();
    }
    List<String> values = consume("plain", "read_uncommitted", 5, v -> false);
    assertThat(values).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4");
  }

  @Test
  void transactionalProducerCommitsAndReadCommittedConsumerSkipsAborted() {
    kafka.createTopics("tx");
    Properties props = producerProps();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vaeguard-test-tx");
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "3600000");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "a", "committed-1"));
      producer.send(new ProducerRecord<>("tx", "a", "committed-2"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "a", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "a", "last"));
      producer.commitTransaction();
    }
    List<String> values = consume("tx", "read_committed", 3, "last"::equals);
    assertThat(values).containsExactly("committed-1", "committed-2", "last");
  }

  @Test
  void statusAndAttachFindTheRunningBroker() {
    BrokerStatus status = LocalKafka.status(sharedDir);
    assertThat(status.state()).isEqualTo(BrokerStatus.State.RUNNING);
    assertThat(status.pid()).isEqualTo(kafka.pid());
    assertThat(status.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
    assertThat(status.describe()).contains("running", kafka.bootstrapServers());

    LocalKafka attached = LocalKafka.attach(sharedDir).orElseThrow();
    assertThat(attached.pid()).isEqualTo(kafka.pid());
    assertThat(attached.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
    attached.createTopics("via-attach");

    assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
    assertThatThrownBy(() -> LocalKafka.builder(sharedDir).start())
        .isInstanceOf(LocalKafkaException.class)
        .hasMessageContaining("already running in " + sharedDir.toAbsolutePath().normalize());
  }

  @Test
  void detachedBrokerIsStoppedThroughAttachAndFreesItsPort(@TempDir Path dir) throws Exception {
    LocalKafka started = LocalKafka.builder(dir).detached(true).start();
    long pid = started.pid();
    int port = started.port();
    int controllerPort = started.controllerPort();
    assertThat(started.isRunning()).isTrue();
    assertThat(LocalKafka.isPortFree(port)).isFalse();

    LocalKafka attached = LocalKafka.attach(dir).orElseThrow();
    long t0 = System.nanoTime();
    attached.stop();
    System.out.printf("LocalKafka stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(started.isRunning()).isFalse();
    assertThat(LocalKafka.isPortFree(port)).isTrue();
    assertThat(LocalKafka.isPortFree(controllerPort)).isTrue();
    assertThat(LocalKafka.status(dir).state()).isEqualTo(BrokerStatus.State.STOPPED);
    assertThat(LocalKafka.attach(dir)).isEmpty();
    started.stop(); // already gone: nothing to do
  }

  @Test
  void takenPortIsReportedWithoutLeavingAProcess(@TempDir Path dir) throws IOException {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = held.getLocalPort();
      assertThatThrownBy(() -> LocalKafka.builder(dir).port(port).start())
          .isInstanceOf(LocalKafkaException.class)
          .hasMessage(
              "port "
                  + port
                  + " on 127.0.0.1 is in use; pick another with --port or stop what holds it");
      assertThatThrownBy(() -> LocalKafka.builder(dir).controllerPort(port).start())
          .hasMessageContaining("pick another with --controller-port");
    }
    assertThat(brokersIn(dir)).isEmpty();
    assertThat(LocalKafka.status(dir).state()).isEqualTo(BrokerStatus.State.STOPPED);
  }

  @Test
  void portTakenBetweenCheckAndBindIsReportedLikeATakenPort(@TempDir Path dir) throws IOException {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int taken = held.getLocalPort();
      int controller = free.getLocalPort();
      free.close();
      // the launcher's own check passes (its picked port is free); the broker then meets `taken`
      LocalKafka racing =
          LocalKafka.builder(dir)
              .controllerPort(controller)
              .brokerProperty(
                  "listeners",
                  "PLAINTEXT://127.0.0.1:" + taken + ",CONTROLLER://127.0.0.1:" + controller)
              .build();
      assertThatThrownBy(racing::start)
          .isInstanceOf(LocalKafkaException.class)
          .hasMessageStartingWith(
              "port "
                  + taken
                  + " on 127.0.0.1 is in use; pick another with --port or stop what holds it")
          .hasMessageContaining(dir.resolve("broker.log").toString());
    }
    assertThat(brokersIn(dir)).isEmpty();
  }

  @Test
  void statusCallsAPidOfAnotherProgramStaleAndAttachIgnoresIt(@TempDir Path dir)
      throws IOException {
    long notKafka = ProcessHandle.current().pid();
    Files.writeString(
        dir.resolve("local-kafka.properties"),
        "pid=" + notKafka + "\nport=9092\ncontrollerPort=9093\n");
    assertThat(LocalKafka.status(dir).state()).isEqualTo(BrokerStatus.State.STALE);
    assertThat(LocalKafka.status(dir).describe())
        .contains("no longer this directory's Kafka broker");
    assertThat(LocalKafka.attach(dir)).isEmpty();
  }

  @Test
  void brokerThatExitsDuringStartIsReportedWithItsLog(@TempDir Path dir) {
    LocalKafka bad = LocalKafka.builder(dir).brokerProperty("log.segment.bytes", "12").build();
    assertThatThrownBy(bad::start)
        .isInstanceOf(LocalKafkaException.class)
        .hasMessageContaining("exited with status")
        .hasMessageContaining(dir.resolve("broker.log").toString())
        .hasMessageContaining("log.segment.bytes");
    assertThat(bad.isRunning()).isFalse();
    assertThat(brokersIn(dir)).isEmpty();
    assertThat(LocalKafka.status(dir).state()).isEqualTo(BrokerStatus.State.STOPPED);
  }

  private static List<ProcessHandle> brokersIn(Path dir) {
    String d = dir.toAbsolutePath().normalize().toString();
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(d)).orElse(false))
        .toList();
  }

  private static Properties producerProps() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return p;
  }

  /** Polls until {@code count} values arrived or {@code last} matched one, for at most 30 s. */
  private static List<String> consume(
      String topic, String isolation, int count, Predicate<String> last) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
          if (last.test(r.value())) {
            return values;
          }
        }
      }
    }
    return values;
  }
}
