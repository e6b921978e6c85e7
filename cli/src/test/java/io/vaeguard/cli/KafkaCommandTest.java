package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.local.kafka.LocalKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vaeguard kafka ...} in-process, with a real broker that outlives each command. */
class KafkaCommandTest {

  @TempDir Path dir;

  @AfterEach
  void stopWhatATestLeftRunning() {
    LocalKafka.attach(dir).ifPresent(LocalKafka::stop);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void startStatusStartAgainTopicsStopStatus() throws IOException {
    int port = freePort();
    String address = "127.0.0.1:" + port;

    CliRun start =
        CliRun.of(
            "kafka", "start", "--dir", dir, "--port", port, "--topics", "observations,alerts");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    assertThat(start.out())
        .contains("Kafka running at " + address + " pid ")
        .contains("topics ready: observations, alerts");
    long pid = LocalKafka.status(dir).pid();

    CliRun status = CliRun.of("kafka", "status", "--dir", dir);
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out().strip())
        .startsWith("running at " + address + " pid " + pid)
        .doesNotContain("\n");

    CliRun again = CliRun.of("kafka", "start", "--dir", dir, "--port", freePort());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out())
        .contains("already running at " + address + " pid " + pid, dir.toString());

    CliRun topics = CliRun.of("kafka", "topics", "--dir", dir, "--create", "scores");
    assertThat(topics.exitCode()).as(topics.toString()).isZero();
    CliRun list = CliRun.of("kafka", "topics", "--dir", dir);
    assertThat(list.out().lines()).contains("alerts", "observations", "scores");

    CliRun stop = CliRun.of("kafka", "stop", "--dir", dir);
    assertThat(stop.exitCode()).as(stop.toString()).isZero();
    assertThat(stop.out()).contains("stopped Kafka at " + address + " pid " + pid);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));

    CliRun stopped = CliRun.of("kafka", "status", "--dir", dir);
    assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(KafkaCommand.EXIT_STOPPED);
    assertThat(stopped.out().strip())
        .isEqualTo("stopped (no broker in " + dir.toAbsolutePath().normalize() + ")");
    assertThat(LocalKafka.isPortFree(port)).isTrue();
  }

  @Test
  void takenPortIsOneLineNamingThePortAndTheFlag() throws IOException {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = held.getLocalPort();
      CliRun run = CliRun.of("kafka", "start", "--dir", dir, "--port", port);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
      assertThat(run.errLines())
          .containsExactly(
              "kafka start: port "
                  + port
                  + " on 127.0.0.1 is in use; pick another with --port or stop what holds it");
    }
    assertThat(CliRun.of("kafka", "status", "--dir", dir).exitCode())
        .isEqualTo(KafkaCommand.EXIT_STOPPED);
  }

  @Test
  void stopAndTopicsWithoutABroker() {
    CliRun stop = CliRun.of("kafka", "stop", "--dir", dir);
    assertThat(stop.exitCode()).isZero();
    assertThat(stop.out()).startsWith("Kafka is not running");

    CliRun topics = CliRun.of("kafka", "topics", "--dir", dir, "--create", "observations");
    assertThat(topics.exitCode()).isEqualTo(2);
    assertThat(topics.errLines())
        .singleElement()
        .asString()
        .startsWith(
            "kafka topics: no Kafka broker is running in " + dir.toAbsolutePath().normalize())
        .endsWith("start one with 'vaeguard kafka start --dir " + dir + "'");
  }
}
