package io.vaeguard.cluster;

import io.vaeguard.local.process.LauncherBuilder;
import io.vaeguard.local.process.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link FlinkStandaloneCluster} is built with, as its {@link
 * FlinkStandaloneCluster.Builder} collects it: where the configuration comes from, how many
 * TaskManagers, which ports, Flink settings over config.yaml, which JDK; besides {@link
 * LauncherBuilder}'s work directory, timeouts (the startup timeout defaults to 120 s) and detached.
 * Every setter checks its value.
 *
 * @param <B> the builder, which each setter returns
 */
public abstract class FlinkClusterSettings<B extends FlinkClusterSettings<B>>
    extends LauncherBuilder<B> {
  Path confDir;
  int taskManagers = 2;
  int restPort = -1;
  int rpcPort = -1;
  final Map<String, Object> config = new LinkedHashMap<>();
  Path javaHome;

  FlinkClusterSettings(Path workDir) {
    super(workDir, Duration.ofSeconds(120));
    this.confDir = defaultConfDir();
  }

  /**
   * The repository's {@code flink-conf/}: under {@code -Dvaeguard.home} when set (bin/vaeguard sets
   * it), else under the working directory or its parent.
   */
  public static Path defaultConfDir() {
    String home = System.getProperty("vaeguard.home");
    List<Path> candidates =
        home != null
            ? List.of(Path.of(home, "flink-conf"))
            : List.of(Path.of("flink-conf"), Path.of("..", "flink-conf"));
    return candidates.stream()
        .filter(p -> Files.isRegularFile(p.resolve(FlinkStandaloneCluster.CONFIG_FILE)))
        .findFirst()
        .orElse(candidates.get(0))
        .toAbsolutePath()
        .normalize();
  }

  /**
   * The directory with {@code config.yaml} and {@code log4j.properties}; default {@link
   * #defaultConfDir()}.
   */
  public B confDir(Path dir) {
    this.confDir = Objects.requireNonNull(dir, "dir");
    return self();
  }

  /** TaskManagers to start; default 2. */
  public B taskManagers(int count) {
    if (count < 0) {
      throw new IllegalArgumentException(
          "the number of TaskManagers must not be negative, got " + count);
    }
    this.taskManagers = count;
    return self();
  }

  /** REST and dashboard port on 127.0.0.1; 0 picks a free one; default: config.yaml's rest.port. */
  public B restPort(int port) {
    this.restPort = LoopbackPorts.check(port);
    return self();
  }

  /** JobManager RPC port; 0 picks a free one; default: config.yaml's jobmanager.rpc.port. */
  public B rpcPort(int port) {
    this.rpcPort = LoopbackPorts.check(port);
    return self();
  }

  /**
   * A Flink setting written over config.yaml's, e.g. {@code ("taskmanager.numberOfTaskSlots", 2)}.
   */
  public B config(String key, Object value) {
    config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return self();
  }

  /** The JDK that runs Flink; default JAVA_HOME, else the one running this code. */
  public B javaHome(Path home) {
    this.javaHome = Objects.requireNonNull(home, "home");
    return self();
  }

  @SuppressWarnings("unchecked") // B is the class that extends this one, as declared
  private B self() {
    return (B) this;
  }
}
