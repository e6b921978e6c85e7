package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildLog;
import io.vaeguard.local.process.LogTail;
import io.vaeguard.local.process.ProcessCommandLine;
import io.vaeguard.local.process.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one cluster's work directory that outlive the process that started it: a PID file
 * per Flink process ({@code jobmanager.pid}, {@code taskmanager-N.pid}), the state file ({@code
 * cluster.properties}: ports, REST address) and the logs; the check that a recorded pid is still
 * the Flink process started there, and the status that check gives.
 */
final class ClusterWorkDir {
  static final String CONF_DIR = "conf";
  static final String LOG_DIR = "log";
  static final String STATE_FILE = "cluster.properties";
  static final String JOBMANAGER = "jobmanager";
  static final String TASKMANAGER_PREFIX = "taskmanager-";
  static final String RESOURCE_ID_PREFIX = "vaeguard-tm-";

  private static final Pattern TM_PID_FILE = Pattern.compile("taskmanager-(\\d+)\\.pid");

  /**
   * Up to 128 KiB of a log (LocalKafka reads 64), notes on a missing log indented like its lines.
   */
  private static final LogTail LOG_TAIL = new LogTail(128 * 1024, true);

  /** How many of a log's last lines an error message quotes. */
  static final int LOG_TAIL_LINES = 25;

  private final Path dir;

  ClusterWorkDir(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  Path conf() {
    return dir.resolve(CONF_DIR);
  }

  Path logFile(String name) {
    return dir.resolve(LOG_DIR).resolve(name + ".log");
  }

  Path outFile(String name) {
    return dir.resolve(LOG_DIR).resolve(name + ".out");
  }

  /** The log of {@code jobmanager} or {@code taskmanager-N} as error messages quote it. */
  ChildLog log(String name) {
    return new ChildLog(logFile(name), outFile(name), LOG_TAIL, LOG_TAIL_LINES);
  }

  /**
   * What Flink's scripts export to its processes, on top of {@code ChildJvm.builder}'s environment.
   */
  Map<String, String> environment() {
    return Map.of(
        "FLINK_CONF_DIR", conf().toString(),
        "FLINK_LOG_DIR", dir.resolve(LOG_DIR).toString(),
        // no plugins (metrics reporters, file systems) yet: an empty directory keeps Flink from
        // warning
        "FLINK_PLUGINS_DIR", dir.resolve("plugins").toString());
  }

  /**
   * The TaskManager's resource id, as the ResourceManager and {@code GET /taskmanagers} name it.
   */
  static String resourceId(String taskManagerName) {
    return RESOURCE_ID_PREFIX + taskManagerName.substring(TASKMANAGER_PREFIX.length());
  }

  // ---------------------------------------------------------------- PID files

  /** Recorded pids by process name, the JobManager first, then TaskManagers by index. */
  Map<String, Long> readPidFiles() {
    Map<String, Long> out = new LinkedHashMap<>();
    Path jm = dir.resolve(JOBMANAGER + ".pid");
    if (Files.isRegularFile(jm)) {
      out.put(JOBMANAGER, StateFiles.readPid(jm));
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files
            .map(p -> TM_PID_FILE.matcher(p.getFileName().toString()))
            .filter(Matcher::matches)
            .sorted(
                (a, b) ->
                    Integer.compare(Integer.parseInt(a.group(1)), Integer.parseInt(b.group(1))))
            .forEach(
                m ->
                    out.put(
                        TASKMANAGER_PREFIX + m.group(1),
                        StateFiles.readPid(dir.resolve(m.group()))));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    return out;
  }

  void writePid(String name, long pid) throws IOException {
    StateFiles.writePid(dir.resolve(name + ".pid"), pid);
  }

  void deletePid(String name) {
    StateFiles.deleteQuietly(dir.resolve(name + ".pid"));
  }

  /** Every PID file and the state file: nothing of the cluster runs any more. */
  void deleteStateFiles() {
    readPidFiles().keySet().forEach(this::deletePid);
    StateFiles.deleteQuietly(dir.resolve(STATE_FILE));
  }

  // ---------------------------------------------------------------- state file

  /**
   * The state file's properties, or null when there is none; empty when it cannot be read (the PID
   * files still tell what runs).
   */
  Properties readState() {
    return StateFiles.read(dir.resolve(STATE_FILE));
  }

  /** Records the cluster's ports, its REST address and its highest TaskManager index so far. */
  void writeState(int restPort, int rpcPort, String restUrl, int lastTaskManager) {
    Properties state = new Properties();
    state.setProperty("restPort", Integer.toString(restPort));
    state.setProperty("rpcPort", Integer.toString(rpcPort));
    state.setProperty("restUrl", restUrl);
    state.setProperty("lastTaskManager", Integer.toString(lastTaskManager));
    state.setProperty("conf", conf().toString());
    state.setProperty("startedAt", Instant.now().toString());
    try {
      StateFiles.write(
          dir.resolve(STATE_FILE),
          state,
          "vaeguard Flink standalone cluster; removed when it is stopped");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(STATE_FILE), e);
    }
  }

  // ---------------------------------------------------------------- processes

  /** What the PID files say, checked against the live processes. */
  ClusterStatus status() {
    Properties state = readState();
    String restUrl = state == null ? null : state.getProperty("restUrl");
    ClusterStatus.ProcessStatus jm = null;
    List<ClusterStatus.ProcessStatus> tms = new ArrayList<>();
    for (Map.Entry<String, Long> e : readPidFiles().entrySet()) {
      String name = e.getKey();
      long pid = e.getValue();
      var s = new ClusterStatus.ProcessStatus(name, pid, isOurs(pid, name), logFile(name));
      if (name.equals(JOBMANAGER)) {
        jm = s;
      } else {
        tms.add(s);
      }
    }
    return new ClusterStatus(dir, restUrl, jm, tms);
  }

  /**
   * Whether {@code pid} is the Flink process {@code name} started in this directory: its command
   * line runs the entrypoint on this directory's conf/ (and, for a TaskManager, with its resource
   * id). Guards against pids reused by other programs after a crash.
   */
  boolean isOurs(long pid, String name) {
    List<String> args = ProcessCommandLine.of(pid);
    if (!args.contains(conf().toString())) {
      return false;
    }
    if (name.equals(JOBMANAGER)) {
      return args.contains(FlinkStandaloneCluster.JOBMANAGER_MAIN);
    }
    return args.contains(FlinkStandaloneCluster.TASKMANAGER_MAIN)
        && args.contains("taskmanager.resource-id=" + resourceId(name));
  }

  // ---------------------------------------------------------------- helpers

  /** The last lines of a log, indented, for error messages. */
  static String tail(Path file, int lines) {
    return LOG_TAIL.of(file, lines);
  }
}
