package io.vaeguard.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files of one cluster's work directory that outlive the process that started it: a PID file per
 * Flink process ({@code jobmanager.pid}, {@code taskmanager-N.pid}), the state file ({@code
 * cluster.properties}: ports, REST address) and the logs; and the check that a recorded pid is still
 * the Flink process started there.
 */
final class ClusterWorkDir {
  static final String CONF_DIR = "conf";
  static final String LOG_DIR = "log";
  static final String STATE_FILE = "cluster.properties";
  static final String JOBMANAGER = "jobmanager";
  static final String TASKMANAGER_PREFIX = "taskmanager-";
  static final String RESOURCE_ID_PREFIX = "vaeguard-tm-";

  private static final Pattern TM_PID_FILE = Pattern.compile("taskmanager-(\\d+)\\.pid");

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

  /** The TaskManager's resource id, as the ResourceManager and {@code GET /taskmanagers} name it. */
  static String resourceId(String taskManagerName) {
    return RESOURCE_ID_PREFIX + taskManagerName.substring(TASKMANAGER_PREFIX.length());
  }

  // ---------------------------------------------------------------- PID files

  /** Recorded pids by process name, the JobManager first, then TaskManagers by index. */
  Map<String, Long> readPidFiles() {
    Map<String, Long> out = new LinkedHashMap<>();
    Path jm = dir.resolve(JOBMANAGER + ".pid");
    if (Files.isRegularFile(jm)) {
      out.put(JOBMANAGER, readPid(jm));
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.map(p -> TM_PID_FILE.matcher(p.getFileName().toString()))
            .filter(Matcher::matches)
            .sorted((a, b) -> Integer.compare(Integer.parseInt(a.group(1)), Integer.parseInt(b.group(1))))
            .forEach(m -> out.put(TASKMANAGER_PREFIX + m.group(1), readPid(dir.resolve(m.group()))));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    return out;
  }

  private static long readPid(Path file) {
    try {
      return parseLong(Files.readString(file, StandardCharsets.UTF_8), -1);
    } catch (IOException e) {
      return -1;
    }
  }

  void writePid(String name, long pid) throws IOException {
    Files.writeString(dir.resolve(name + ".pid"), pid + "\n", StandardCharsets.UTF_8);
  }

  void deletePid(String name) {
    deleteQuietly(dir.resolve(name + ".pid"));
  }

  /** Every PID file and the state file: nothing of the cluster runs any more. */
  void deleteStateFiles() {
    readPidFiles().keySet().forEach(this::deletePid);
    deleteQuietly(dir.resolve(STATE_FILE));
  }

  // ---------------------------------------------------------------- state file

  /** The state file's properties, or null when there is none. */
  Properties readState() {
    Path state = dir.resolve(STATE_FILE);
    if (!Files.isRegularFile(state)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(state, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      // an unreadable state file: the PID files still tell what runs
    }
    return p;
  }

  void writeState(Properties state) {
    Path tmp = dir.resolve(STATE_FILE + ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        state.store(w, "vaeguard Flink standalone cluster; removed when it is stopped");
      }
      Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(STATE_FILE), e);
    }
  }

  // ---------------------------------------------------------------- processes

  /**
   * Whether {@code pid} is the Flink process {@code name} started in this directory: its command line
   * runs the entrypoint on this directory's conf/ (and, for a TaskManager, with its resource id).
   * Guards against pids reused by other programs after a crash.
   */
  boolean isOurs(long pid, String name) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return false;
    }
    List<String> args = commandLine(h.get());
    if (!args.contains(conf().toString())) {
      return false;
    }
    if (name.equals(JOBMANAGER)) {
      return args.contains(FlinkStandaloneCluster.JOBMANAGER_MAIN);
    }
    return args.contains(FlinkStandaloneCluster.TASKMANAGER_MAIN)
        && args.contains("taskmanager.resource-id=" + resourceId(name));
  }

  private static List<String> commandLine(ProcessHandle h) {
    Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
    if (Files.isReadable(proc)) {
      try {
        return Arrays.asList(Files.readString(proc, StandardCharsets.UTF_8).split("\0"));
      } catch (IOException e) {
        return List.of();
      }
    }
    List<String> args = new ArrayList<>();
    h.info().command().ifPresent(args::add);
    h.info().arguments().ifPresent(a -> args.addAll(Arrays.asList(a)));
    return args;
  }

  // ---------------------------------------------------------------- helpers

  /** The last lines of a log, indented, for error messages. */
  static String tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "  | (no log at " + file + ")";
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int chunk = (int) Math.min(len, 128 * 1024);
      byte[] buf = new byte[chunk];
      f.seek(len - chunk);
      f.readFully(buf);
      List<String> all = new String(buf, StandardCharsets.UTF_8).lines().toList();
      return all.subList(Math.max(0, all.size() - lines), all.size()).stream().map(l -> "  | " + l)
          .collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "  | (cannot read " + file + ": " + e + ")";
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: status() reports a stale PID file as not running
    }
  }

  static long parseLong(String s, long fallback) {
    try {
      return s == null ? fallback : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
