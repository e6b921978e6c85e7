package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-command demo, for a short while: a real broker, a local Flink, the job, the generator.
 */
class DemoCommandTest {

  @Test
  void runsForItsDurationShowsAlertsAndStopsEverything(@TempDir Path dir) throws Exception {
    int webPort;
    try (ServerSocket s = new ServerSocket(0)) {
      webPort = s.getLocalPort();
    }
    CliRun run =
        CliRun.of(
            "demo",
            "--duration",
            "25",
            "--rate",
            "400",
            "--anomaly-rate",
            "0.08",
            "--web-port",
            String.valueOf(webPort),
            "--dir",
            dir.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("Flink dashboard: http://127.0.0.1:" + webPort);
    assertThat(run.out()).contains("demo summary:").contains("job running until now");
    // at least one alert line: time, entity, severity, score, top features
    assertThat(run.out())
        .containsPattern(
            "\\d\\d:\\d\\d:\\d\\d  entity-\\d{3}  sev \\d+ (warning|minor|major|critical)  score ");
    assertThat(run.out()).containsPattern("injected anomalies: [1-9]\\d* caught");
    assertThat(run.out()).contains("everything it started is stopped");
    assertThat(Files.exists(dir.resolve("labels.csv"))).isTrue();
    // the broker's process is gone: its state file says so, or there is none
    assertThat(io.vaeguard.local.kafka.LocalKafka.status(dir.resolve("kafka")).isRunning())
        .isFalse();
  }
}
