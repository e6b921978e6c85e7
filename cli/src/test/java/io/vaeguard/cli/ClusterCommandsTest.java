package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vaeguard cluster ...} without a real cluster: what it says when nothing runs or a port is
 * taken. The real cluster is tested by vaeguard-cluster's ClusterFailoverITCase; {@code vaeguard
 * submit} by {@link SubmitCommandTest}.
 */
class ClusterCommandsTest {

  @Test
  void statusOfAnEmptyDirectorySaysStoppedWithExitCode3(@TempDir Path dir) {
    CliRun r = CliRun.of("cluster", "status", "--dir", dir);

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).startsWith("stopped: no Flink cluster recorded in " + dir);
  }

  @Test
  void stopWithNothingRunningIsNotAnError(@TempDir Path dir) {
    CliRun r = CliRun.of("cluster", "stop", "--dir", dir);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("no Flink cluster running in");
  }

  @Test
  void startOnATakenPortIsOneLineThatNamesTheFlag(@TempDir Path dir) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliRun r = CliRun.of("cluster", "start", "--web-port", taken.getLocalPort(), "--dir", dir);

      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines())
          .containsExactly(
              "cluster start: port "
                  + taken.getLocalPort()
                  + " on 127.0.0.1 is in use; pick another with --web-port or stop what holds it");
      assertThat(dir.resolve("jobmanager.pid")).doesNotExist();
    }
  }
}
