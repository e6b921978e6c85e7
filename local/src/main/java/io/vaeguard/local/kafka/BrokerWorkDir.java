package io.vaeguard.local.kafka;

import io.vaeguard.local.process.ChildLog;
import io.vaeguard.local.process.LogTail;
import io.vaeguard.local.process.ProcessCommandLine;
import io.vaeguard.local.process.StateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/**
 * The files of one broker's work directory that outlive the process that started it: the state file
 * ({@code local-kafka.properties}: pid, ports), and the check that a recorded pid is still the
 * broker started there.
 */
final class BrokerWorkDir {
  /** Up to 64 KiB of the log, 20 lines of it in messages. */
  private static final LogTail LOG_TAIL = new LogTail(64 * 1024, false);

  private static final int LOG_TAIL_LINES = 20;

  private final Path dir;

  BrokerWorkDir(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path config() {
    return dir.resolve(LocalKafka.CONFIG_FILE);
  }

  Path logFile() {
    return dir.resolve(LocalKafka.LOG_FILE);
  }

  /** The broker's stdout and stderr, which is its log, as messages quote it. */
  ChildLog log() {
    return new ChildLog(logFile(), logFile(), LOG_TAIL, LOG_TAIL_LINES);
  }

  private Path stateFile() {
    return dir.resolve(LocalKafka.STATE_FILE);
  }

  /** Records the broker just started, for {@link #status()} in this and other processes. */
  void writeState(long pid, int port, int controllerPort, String bootstrapServers)
      throws IOException {
    Properties state = new Properties();
    state.setProperty("pid", Long.toString(pid));
    state.setProperty("port", Integer.toString(port));
    state.setProperty("controllerPort", Integer.toString(controllerPort));
    state.setProperty("bootstrapServers", bootstrapServers);
    state.setProperty("config", config().toString());
    state.setProperty("log", logFile().toString());
    state.setProperty("startedAt", Instant.now().toString());
    StateFiles.write(stateFile(), state, "vaeguard local Kafka broker; removed when it is stopped");
  }

  /** Removes the state file of a stale broker before a start. */
  void deleteState() {
    StateFiles.deleteQuietly(stateFile());
  }

  /** Removes the state file when it records {@code stoppedPid}, and not a broker started since. */
  void forget(long stoppedPid) {
    Properties p = StateFiles.read(stateFile());
    if (p != null && Long.toString(stoppedPid).equals(p.getProperty("pid"))) {
      StateFiles.deleteQuietly(stateFile());
    }
  }

  /** What the state file says, checked against the live processes. */
  BrokerStatus status() {
    Properties p = StateFiles.read(stateFile());
    if (p == null) {
      return new BrokerStatus(BrokerStatus.State.STOPPED, dir, -1, 0, 0, logFile());
    }
    long pid = StateFiles.parseLong(p.getProperty("pid"), -1);
    int port = (int) StateFiles.parseLong(p.getProperty("port"), 0);
    int controllerPort = (int) StateFiles.parseLong(p.getProperty("controllerPort"), 0);
    boolean ours = pid > 0 && isBroker(pid);
    return new BrokerStatus(
        ours ? BrokerStatus.State.RUNNING : BrokerStatus.State.STALE,
        dir,
        pid,
        port,
        controllerPort,
        logFile());
  }

  /**
   * Whether {@code pid} is the broker JVM started in this directory: its command line runs {@code
   * kafka.Kafka} on this directory's {@code server.properties}. Guards against pids reused by other
   * programs after a crash.
   */
  boolean isBroker(long pid) {
    List<String> args = ProcessCommandLine.of(pid);
    return args.contains(LocalKafka.KAFKA_MAIN) && args.contains(config().toString());
  }
}
