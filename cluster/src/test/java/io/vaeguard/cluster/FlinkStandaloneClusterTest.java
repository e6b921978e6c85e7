package io.vaeguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher refuses before it starts anything, and how it treats PID files that no longer
 * name its processes. A real cluster is started by ClusterFailoverITCase.
 */
class FlinkStandaloneClusterTest {

  private static final Path CONF =
      Path.of(System.getProperty("vaeguard.home", "..")).resolve("flink-conf");

  @Test
  void aTakenPortIsOneLineThatNamesTheFlagAndNothingIsStarted(@TempDir Path dir)
      throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(
              () ->
                  FlinkStandaloneCluster.builder(dir)
                      .confDir(CONF)
                      .restPort(port)
                      .rpcPort(0)
                      .start())
          .isInstanceOf(FlinkClusterException.class)
          .hasMessage(
              "port "
                  + port
                  + " on 127.0.0.1 is in use; pick another with --web-port or stop what holds it");
      assertThatThrownBy(
              () ->
                  FlinkStandaloneCluster.builder(dir)
                      .confDir(CONF)
                      .restPort(0)
                      .rpcPort(port)
                      .start())
          .hasMessage(
              "port "
                  + port
                  + " on 127.0.0.1 is in use; pick another with --rpc-port or stop what holds it");
    }
    assertThat(FlinkStandaloneCluster.status(dir).anyRunning()).isFalse();
    assertThat(dir.resolve("jobmanager.pid")).doesNotExist();
  }

  @Test
  void aMissingJavaIsOneLineThatNamesWhereItLooked(@TempDir Path dir) {
    Path home = dir.resolve("no-jdk");

    assertThatThrownBy(
            () ->
                FlinkStandaloneCluster.builder(dir.resolve("work"))
                    .confDir(CONF)
                    .javaHome(home)
                    .restPort(0)
                    .rpcPort(0)
                    .start())
        .isInstanceOf(FlinkClusterException.class)
        .hasMessage(
            "no java at "
                + home.resolve("bin/java")
                + " (from the given Java home); point it at a JDK 17 or newer");
    assertThat(dir.resolve("work/jobmanager.pid")).doesNotExist();
  }

  @Test
  void aMissingConfigurationIsNamed(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                FlinkStandaloneCluster.builder(dir)
                    .confDir(dir.resolve("nowhere"))
                    .restPort(0)
                    .rpcPort(0)
                    .start())
        .isInstanceOf(FlinkClusterException.class)
        .hasMessage("no Flink configuration at " + dir.resolve("nowhere/config.yaml"));
  }

  @Test
  void pidFilesOfOtherProcessesAreReportedStaleAndNeverSignalled(@TempDir Path dir)
      throws IOException {
    // this test JVM is alive but is no Flink process of that directory
    long notFlink = ProcessHandle.current().pid();
    Files.writeString(dir.resolve("jobmanager.pid"), notFlink + "\n");
    Files.writeString(dir.resolve("taskmanager-1.pid"), notFlink + "\n");

    ClusterStatus s = FlinkStandaloneCluster.status(dir);

    assertThat(s.anyRunning()).isFalse();
    assertThat(s.jobManager().pid()).isEqualTo(notFlink);
    assertThat(s.taskManagers())
        .extracting(ClusterStatus.ProcessStatus::name)
        .containsExactly("taskmanager-1");
    assertThat(s.describe()).startsWith("not running (stale PID files)");
    assertThat(FlinkStandaloneCluster.attach(dir)).isEmpty();
  }

  @Test
  void anEmptyDirectoryIsStopped(@TempDir Path dir) {
    ClusterStatus s = FlinkStandaloneCluster.status(dir);

    assertThat(s.anyRunning()).isFalse();
    assertThat(s.describe())
        .isEqualTo("stopped: no Flink cluster recorded in " + dir.toAbsolutePath().normalize());
  }
}
