package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildJvm;
import io.vaeguard.local.process.Durations;
import io.vaeguard.local.process.LauncherDir;
import io.vaeguard.local.process.LoopbackPorts;
import io.vaeguard.local.process.ProcessTree;
import io.vaeguard.local.process.ShutdownHook;
import io.vaeguard.local.process.StateFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster on this machine: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each in its
 * own JVM, on the Flink 2.2 jars this module's build resolved from Maven Central (there is no Flink
 * distribution there), bound to 127.0.0.1 only.
 *
 * <pre>{@code
 * try (FlinkStandaloneCluster flink = FlinkStandaloneCluster.builder(Path.of("work/flink")).taskManagers(2).start()) {
 *   String jobId = flink.rest().submit(jar, mainClass, args);
 *   ...
 * }
 * }</pre>
 *
 * <p>What Flink's {@code bin/} scripts do is done here: the configuration ({@code config.yaml} and
 * {@code log4j*.properties} from a conf directory, by default the repository's {@code flink-conf/})
 * is copied to {@code WORK/conf} with the ports and directories of this cluster filled in; JVM heap
 * and memory flags come from Flink's {@code BashJavaUtils} (GET_JM_RESOURCE_PARAMS /
 * GET_TM_RESOURCE_PARAMS) run on that configuration; {@code env.java.opts.*} from it (the
 * {@code --add-opens} flags Java 17 needs) go on every JVM.
 *
 * <p>The work directory holds everything: {@code conf/}, {@code log/} (one {@code .log} and one
 * {@code .out} per process), a PID file per process ({@code jobmanager.pid}, {@code
 * taskmanager-N.pid}), {@code cluster.properties} (ports, REST address), checkpoints, savepoints,
 * uploaded jars and temporary files. {@link #status(Path)} and {@link #attach(Path)} find a cluster
 * another process started there, as {@code vaeguard cluster status|stop} do; a PID is only ever
 * signalled while its command line is still the Flink process started for that directory.
 *
 * <p>The Flink JVMs' classpath is {@code flink-classpath.txt}, written next to this class by the
 * module's build ({@code dependency:build-classpath}); {@code -Dvaeguard.flink.classpath} or {@code
 * VAEGUARD_FLINK_CLASSPATH} replace it.
 */
public final class FlinkStandaloneCluster implements AutoCloseable {
  /** Every listener binds here and only here. */
  public static final String HOST = LoopbackPorts.HOST;

  public static final String JOBMANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  public static final String TASKMANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  static final String EXEC_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  static final String CONF_DIR = ClusterWorkDir.CONF_DIR;
  static final String LOG_DIR = ClusterWorkDir.LOG_DIR;
  static final String JOBMANAGER = ClusterWorkDir.JOBMANAGER;
  static final String TASKMANAGER_PREFIX = ClusterWorkDir.TASKMANAGER_PREFIX;
  static final String CONFIG_FILE = "config.yaml";

  private static final int LOG_TAIL_LINES = 25;

  private final Path workDir;
  private final ClusterWorkDir files;
  private final Path sourceConfDir;
  private final int taskManagerCount;
  private final int requestedRestPort;
  private final int requestedRpcPort;
  private final Map<String, Object> overrides;
  private final Duration startupTimeout;
  private final Duration stopTimeout;
  private final Path javaHome;
  private final boolean detached;

  private final Object lock = new Object();
  /** Processes this instance knows: "jobmanager" and "taskmanager-N"; Process where this JVM started it. */
  private final Map<String, ProcessHandle> handles = new TreeMap<>();
  private final Map<String, Process> own = new LinkedHashMap<>();
  private int restPort;
  private int rpcPort;
  private int lastTaskManagerIndex;
  private List<String> classpath;
  private List<String> taskManagerParams;
  private ShutdownHook shutdownHook;
  private FlinkRestClient rest;
  private Duration restReadyAfter;
  private Duration taskManagersReadyAfter;

  private FlinkStandaloneCluster(Builder b) {
    this.workDir = b.workDir.toAbsolutePath().normalize();
    this.files = new ClusterWorkDir(workDir);
    this.sourceConfDir = b.confDir;
    this.taskManagerCount = b.taskManagers;
    this.requestedRestPort = b.restPort;
    this.requestedRpcPort = b.rpcPort;
    this.overrides = new LinkedHashMap<>(b.config);
    this.startupTimeout = b.startupTimeout;
    this.stopTimeout = b.stopTimeout;
    this.javaHome = b.javaHome;
    this.detached = b.detached;
  }

  /** A cluster whose files live in {@code workDir} (created if missing). */
  public static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  // ---------------------------------------------------------------- start

  /**
   * Writes the configuration, starts the JobManager and the TaskManagers, and waits until the REST
   * API answers and every TaskManager is registered.
   *
   * @throws FlinkClusterException when a port is taken, java is missing, a cluster already runs in the
   *     work directory, a process exits during start, or the cluster is not up within the startup
   *     timeout; no process is left behind in any of these cases
   */
  public FlinkStandaloneCluster start() {
    synchronized (lock) {
      if (!handles.isEmpty()) {
        throw new IllegalStateException("this cluster was already started in " + workDir);
      }
      try {
        Files.createDirectories(workDir);
      } catch (IOException e) {
        throw new FlinkClusterException("cannot create the cluster's work directory " + workDir + ": " + e, e);
      }
      ClusterStatus existing = status(workDir);
      if (existing.anyRunning()) {
        throw new FlinkClusterException("a Flink cluster is already running in " + workDir + " ("
            + existing.describe() + "); stop it with `vaeguard cluster stop --dir " + workDir + "` or use another --dir");
      }
      files.deleteStateFiles();
      classpath = FlinkClasspath.resolve();
      FlinkConfigFile config = writeConfiguration();
      Path java = javaExecutable();
      long started = System.nanoTime();
      try {
        CompletableFuture<List<String>> tm = CompletableFuture.supplyAsync(() -> resourceParams(java, "GET_TM_RESOURCE_PARAMS"));
        List<String> jm = resourceParams(java, "GET_JM_RESOURCE_PARAMS");
        taskManagerParams = join(tm);
        installShutdownHook();
        launch(JOBMANAGER, JOBMANAGER_MAIN, jm, config.get("env.java.opts.jobmanager", ""), List.of());
        writeState();
        for (int i = 0; i < taskManagerCount; i++) {
          launchTaskManager();
        }
        rest = FlinkRestClient.forAddress(HOST + ":" + restPort);
        awaitRest(started);
        awaitTaskManagers(taskManagerCount, remaining(started));
        taskManagersReadyAfter = Duration.ofNanos(System.nanoTime() - started);
      } catch (RuntimeException e) {
        destroyAll(Duration.ofSeconds(3));
        throw e;
      }
      return this;
    }
  }

  private Duration remaining(long startedNanos) {
    long left = startupTimeout.toNanos() - (System.nanoTime() - startedNanos);
    return Duration.ofNanos(Math.max(left, TimeUnit.SECONDS.toNanos(1)));
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** The source config.yaml with this cluster's ports and directories, written to WORK/conf. */
  private FlinkConfigFile writeConfiguration() {
    Path source = sourceConfDir.toAbsolutePath().normalize();
    FlinkConfigFile config = FlinkConfigFile.read(source.resolve(CONFIG_FILE));
    overrides.forEach(config::set);
    restPort = choosePort(requestedRestPort >= 0 ? requestedRestPort : intValue(config, "rest.port", 8081), "--web-port");
    rpcPort = choosePort(requestedRpcPort >= 0 ? requestedRpcPort : intValue(config, "jobmanager.rpc.port", 6123), "--rpc-port");
    if (restPort == rpcPort) {
      throw new FlinkClusterException("the REST port and the JobManager RPC port are both " + restPort
          + "; give --web-port and --rpc-port different values");
    }
    Path conf = workDir.resolve(CONF_DIR);
    try {
      for (String dir : List.of(CONF_DIR, LOG_DIR, "plugins", "tmp", "web-upload", "checkpoints", "savepoints")) {
        Files.createDirectories(workDir.resolve(dir));
      }
      boolean log4j = false;
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : files.filter(p -> p.getFileName().toString().matches("log4j.*\\.properties|logback.*\\.xml")).toList()) {
          Files.copy(f, conf.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          log4j |= f.getFileName().toString().equals("log4j.properties");
        }
      }
      if (!log4j) {
        throw new FlinkClusterException("no log4j.properties in " + source + " (the JobManager's and TaskManagers' logging)");
      }
    } catch (IOException e) {
      throw new FlinkClusterException("cannot prepare " + conf + ": " + e, e);
    }
    for (String key : List.of("jobmanager.rpc.address", "jobmanager.bind-host", "taskmanager.bind-host", "taskmanager.host",
        "rest.address", "rest.bind-address")) {
      config.set(key, HOST);
    }
    config.set("rest.port", restPort);
    config.set("jobmanager.rpc.port", rpcPort);
    config.set("io.tmp.dirs", workDir.resolve("tmp").toString());
    config.set("web.upload.dir", workDir.resolve("web-upload").toString());
    config.set("execution.checkpointing.dir", workDir.resolve("checkpoints").toUri().toString());
    config.set("execution.checkpointing.savepoint-dir", workDir.resolve("savepoints").toUri().toString());
    config.write(conf.resolve(CONFIG_FILE), "written by vaeguard's FlinkStandaloneCluster on every start from "
        + source.resolve(CONFIG_FILE) + "\nwith this cluster's ports and directories filled in; edit that file, not this one");
    return config;
  }

  private static int intValue(FlinkConfigFile config, String key, int fallback) {
    String v = config.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new FlinkClusterException(key + ": '" + v + "' is not a port number");
    }
  }

  /**
   * Runs Flink's {@code BashJavaUtils} as Flink's scripts do and returns the JVM flags (heap, direct
   * memory, metaspace) followed by {@code -D key=value} pairs for the process's arguments, joined
   * with a {@code "--"} marker in between.
   */
  private List<String> resourceParams(Path java, String command) {
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", BASH_JAVA_UTILS,
        command, "--configDir", workDir.resolve(CONF_DIR).toString()));
    ProcessBuilder pb = ChildJvm.builder(cmd, workDir, classpath).redirectErrorStream(true);
    environment(pb);
    String output;
    int status;
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      status = p.waitFor();
    } catch (IOException e) {
      throw new FlinkClusterException("cannot run " + java + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("interrupted while computing Flink's memory settings", e);
    }
    List<String> results = output.lines().filter(l -> l.startsWith(EXEC_RESULT_PREFIX))
        .map(l -> l.substring(EXEC_RESULT_PREFIX.length()).trim()).toList();
    if (status != 0 || results.size() < 2) {
      String explanation = output.lines().filter(l -> l.contains("Exception") || l.contains("must") || l.contains("not"))
          .findFirst().orElse(output.strip());
      throw new FlinkClusterException("Flink's memory settings (" + BASH_JAVA_UTILS + " " + command + ") failed for "
          + workDir.resolve(CONF_DIR).resolve(CONFIG_FILE) + ": " + explanation);
    }
    List<String> out = new ArrayList<>(split(results.get(results.size() - 2)));
    out.add("--");
    out.addAll(split(results.get(results.size() - 1)));
    return out;
  }

  private static List<String> split(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }

  /** Starts one more TaskManager (it registers on its own); returns its index. */
  public int addTaskManager() {
    synchronized (lock) {
      requireJobManager();
      if (taskManagerParams == null) {
        classpath = classpath == null ? FlinkClasspath.resolve() : classpath;
        taskManagerParams = resourceParams(javaExecutable(), "GET_TM_RESOURCE_PARAMS");
      }
      installShutdownHook();
      return launchTaskManager();
    }
  }

  private int launchTaskManager() {
    int index = ++lastTaskManagerIndex;
    String resourceId = ClusterWorkDir.resourceId(TASKMANAGER_PREFIX + index);
    String opts = FlinkConfigFile.read(workDir.resolve(CONF_DIR).resolve(CONFIG_FILE)).get("env.java.opts.taskmanager", "");
    launch(TASKMANAGER_PREFIX + index, TASKMANAGER_MAIN, taskManagerParams, opts,
        List.of("-D", "taskmanager.resource-id=" + resourceId));
    writeState();
    return index;
  }

  private void launch(String name, String mainClass, List<String> resourceParams, String roleOpts, List<String> extraArgs) {
    int marker = resourceParams.indexOf("--");
    List<String> jvmParams = resourceParams.subList(0, marker);
    List<String> dynamic = resourceParams.subList(marker + 1, resourceParams.size());
    Path conf = workDir.resolve(CONF_DIR);
    FlinkConfigFile config = FlinkConfigFile.read(conf.resolve(CONFIG_FILE));
    Path log = workDir.resolve(LOG_DIR).resolve(name + ".log");
    Path out = files.outFile(name);

    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.addAll(jvmParams);
    command.addAll(split(config.get("env.java.opts.all", "")));
    command.addAll(split(roleOpts));
    command.add("-Dlog.file=" + log);
    command.add("-Dlog4j.configuration=file:" + conf.resolve("log4j.properties"));
    command.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
    command.add("-Dlogback.configurationFile=file:" + conf.resolve("logback.xml"));
    if (!detached) {
      command.add("-D" + FlinkProcessMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    }
    command.add(FlinkProcessMain.class.getName());
    command.add(mainClass);
    command.add("--configDir");
    command.add(conf.toString());
    command.addAll(dynamic);
    command.addAll(extraArgs);

    try {
      // FlinkProcessMain and what it uses, alone: nothing else of the caller's reaches Flink
      Path launcherDir = LauncherDir.write(workDir, FlinkProcessMain.class, FlinkStandaloneCluster.class);
      List<String> cp = new ArrayList<>(classpath);
      cp.add(launcherDir.toString());
      ProcessBuilder pb = ChildJvm.builder(command, workDir, cp);
      environment(pb);
      Process p = ChildJvm.start(pb, out);
      handles.put(name, p.toHandle());
      own.put(name, p);
      files.writePid(name, p.pid());
    } catch (IOException e) {
      throw new FlinkClusterException("cannot start the Flink " + name + " in " + workDir + ": " + e.getMessage(), e);
    }
  }

  /** What Flink's scripts export, on top of {@link ChildJvm#builder}'s environment. */
  private void environment(ProcessBuilder pb) {
    pb.environment().put("FLINK_CONF_DIR", workDir.resolve(CONF_DIR).toString());
    pb.environment().put("FLINK_LOG_DIR", workDir.resolve(LOG_DIR).toString());
    // no plugins (metrics reporters, file systems) yet: an empty directory keeps Flink from warning
    pb.environment().put("FLINK_PLUGINS_DIR", workDir.resolve("plugins").toString());
  }

  private void installShutdownHook() {
    if (detached || shutdownHook != null) {
      return;
    }
    shutdownHook = ShutdownHook.add("vaeguard-flink-stop", () -> destroyAll(Duration.ofSeconds(5)));
  }

  private void awaitRest(long startedNanos) {
    long deadline = startedNanos + startupTimeout.toNanos();
    while (true) {
      checkAlive();
      if (rest.isUp()) {
        restReadyAfter = Duration.ofNanos(System.nanoTime() - startedNanos);
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new FlinkClusterException("the Flink JobManager (pid " + pid(JOBMANAGER) + ") did not answer on "
            + restUrl() + " within " + startupTimeout.toSeconds() + " s; it was stopped. Its log is "
            + logFile(JOBMANAGER) + ", last lines:\n" + ClusterWorkDir.tail(logFile(JOBMANAGER), LOG_TAIL_LINES));
      }
      sleep(100);
    }
  }

  /**
   * Waits until {@code count} of this cluster's live TaskManagers are registered with the
   * ResourceManager ({@code GET /taskmanagers}); a killed one is not counted even while the
   * JobManager still lists it.
   */
  public void awaitTaskManagers(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      checkAlive();
      List<String> live = liveResourceIds();
      long registered = rest().taskManagers().stream().filter(tm -> live.contains(tm.id())).count();
      if (registered >= count) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        String name = taskManagerNames().isEmpty() ? JOBMANAGER : taskManagerNames().get(taskManagerNames().size() - 1);
        throw new FlinkClusterException(registered + " of " + count + " TaskManagers registered with the JobManager at "
            + restUrl() + " within " + timeout.toSeconds() + " s; log of " + name + " (" + logFile(name) + "), last lines:\n"
            + ClusterWorkDir.tail(logFile(name), LOG_TAIL_LINES));
      }
      sleep(200);
    }
  }

  private List<String> liveResourceIds() {
    synchronized (lock) {
      return handles.entrySet().stream()
          .filter(e -> e.getKey().startsWith(TASKMANAGER_PREFIX) && e.getValue().isAlive())
          .map(e -> ClusterWorkDir.resourceId(e.getKey()))
          .toList();
    }
  }

  /** A process of ours that ended during start is an error that says why. */
  private void checkAlive() {
    synchronized (lock) {
      for (Map.Entry<String, Process> e : own.entrySet()) {
        Process p = e.getValue();
        if (!p.isAlive() && handles.containsKey(e.getKey())) {
          throw exitedDuringStart(e.getKey(), p);
        }
      }
    }
  }

  private FlinkClusterException exitedDuringStart(String name, Process p) {
    int status = p.exitValue();
    String logs = ClusterWorkDir.tail(logFile(name), 400) + "\n" + ClusterWorkDir.tail(files.outFile(name), 200);
    Matcher bind = Pattern.compile("(?i)(?:BindException|Address already in use|Could not start rest endpoint on any port in port range (\\d+)|bind\\S*\\s+to\\s+\\S*:(\\d+))").matcher(logs);
    if (bind.find()) {
      boolean restFailed = logs.contains("rest endpoint") || logs.contains("RestServerEndpoint");
      int port = restFailed ? restPort : rpcPort;
      return new FlinkClusterException(LoopbackPorts.inUse(port, restFailed ? "--web-port" : "--rpc-port")
          + " (the " + name + " could not bind it; log " + logFile(name) + ")");
    }
    return new FlinkClusterException("the Flink " + name + " exited with status " + status + " during start; its log is "
        + logFile(name) + ", last lines:\n" + ClusterWorkDir.tail(logFile(name), LOG_TAIL_LINES) + "\nand its output ("
        + files.outFile(name) + "):\n" + ClusterWorkDir.tail(files.outFile(name), 10));
  }

  // ---------------------------------------------------------------- TaskManagers

  /** Indexes of the TaskManagers this instance started or found, alive or not, in order. */
  public List<Integer> taskManagerIndexes() {
    synchronized (lock) {
      return handles.keySet().stream().filter(n -> n.startsWith(TASKMANAGER_PREFIX))
          .map(n -> Integer.parseInt(n.substring(TASKMANAGER_PREFIX.length()))).sorted().toList();
    }
  }

  private List<String> taskManagerNames() {
    return taskManagerIndexes().stream().map(i -> TASKMANAGER_PREFIX + i).toList();
  }

  /** The pid of TaskManager {@code index}, or -1 when there is none. */
  public long taskManagerPid(int index) {
    return pid(TASKMANAGER_PREFIX + index);
  }

  /** The ResourceManager's id of TaskManager {@code index} (what {@code GET /taskmanagers} lists). */
  public static String taskManagerResourceId(int index) {
    return ClusterWorkDir.resourceId(TASKMANAGER_PREFIX + index);
  }

  /**
   * Kills TaskManager {@code index} with SIGKILL, as a crash would (no clean shutdown, no goodbye to
   * the JobManager), and waits until the process is gone.
   */
  public void killTaskManager(int index) {
    String name = TASKMANAGER_PREFIX + index;
    ProcessHandle h;
    synchronized (lock) {
      h = handles.get(name);
      if (h == null) {
        throw new IllegalArgumentException("no TaskManager " + index + " in " + workDir + "; there are " + taskManagerIndexes());
      }
      if (!own.containsKey(name) && !files.isOurs(h.pid(), name)) {
        throw new FlinkClusterException("pid " + h.pid() + " is no longer " + name + " of " + workDir + "; not signalling it");
      }
      h.destroyForcibly();
      ProcessTree.awaitExit(h, Duration.ofSeconds(10));
      handles.remove(name);
      own.remove(name);
      files.deletePid(name);
    }
  }

  // ---------------------------------------------------------------- stop

  /**
   * Stops every process of this cluster: SIGTERM (Flink shuts down cleanly), then SIGKILL after the
   * stop timeout. Only processes this directory's PID files name, and only while they are still those
   * processes, are signalled. Does nothing when nothing runs.
   */
  public void stop() {
    synchronized (lock) {
      if (shutdownHook != null) {
        shutdownHook.remove();
        shutdownHook = null;
      }
      destroyAll(stopTimeout);
      List<String> alive = handles.entrySet().stream().filter(e -> e.getValue().isAlive())
          .map(e -> e.getKey() + " (pid " + e.getValue().pid() + ")").toList();
      if (!alive.isEmpty()) {
        throw new FlinkClusterException("still alive after SIGKILL: " + alive);
      }
      handles.clear();
      own.clear();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** TaskManagers first, then the JobManager, all at once; never throws. */
  private void destroyAll(Duration grace) {
    List<Map.Entry<String, ProcessHandle>> targets;
    synchronized (lock) {
      targets = new ArrayList<>(handles.entrySet());
    }
    List<ProcessHandle> ours = new ArrayList<>();
    for (Map.Entry<String, ProcessHandle> e : targets) {
      ProcessHandle h = e.getValue();
      if (h.isAlive() && (own.containsKey(e.getKey()) || files.isOurs(h.pid(), e.getKey()))) {
        ours.add(h);
      }
    }
    ProcessTree.stop(ours, grace);
    for (Map.Entry<String, ProcessHandle> e : targets) {
      if (!e.getValue().isAlive()) {
        files.deletePid(e.getKey());
      }
    }
    if (targets.stream().noneMatch(e -> e.getValue().isAlive())) {
      // PID files of processes that ended on their own go too: nothing of this cluster runs now
      files.deleteStateFiles();
    }
  }

  // ---------------------------------------------------------------- across processes

  /** What the work directory's PID files say, checked against the live processes. */
  public static ClusterStatus status(Path workDir) {
    ClusterWorkDir dir = new ClusterWorkDir(workDir);
    Properties state = dir.readState();
    String restUrl = state == null ? null : state.getProperty("restUrl");
    ClusterStatus.ProcessStatus jm = null;
    List<ClusterStatus.ProcessStatus> tms = new ArrayList<>();
    for (Map.Entry<String, Long> e : dir.readPidFiles().entrySet()) {
      String name = e.getKey();
      long pid = e.getValue();
      var s = new ClusterStatus.ProcessStatus(name, pid, dir.isOurs(pid, name), dir.logFile(name));
      if (name.equals(JOBMANAGER)) {
        jm = s;
      } else {
        tms.add(s);
      }
    }
    return new ClusterStatus(dir.dir(), restUrl, jm, tms);
  }

  /**
   * A handle on the cluster another process started in {@code workDir} (e.g. {@code vaeguard cluster
   * start}), to stop it, add or kill TaskManagers or reach its REST API; empty when nothing of it runs.
   */
  public static Optional<FlinkStandaloneCluster> attach(Path workDir) {
    ClusterStatus s = status(workDir);
    if (!s.anyRunning()) {
      return Optional.empty();
    }
    FlinkStandaloneCluster c = builder(workDir).detached(true).build();
    Properties state = c.files.readState();
    if (state != null) {
      c.restPort = (int) StateFiles.parseLong(state.getProperty("restPort"), 0);
      c.rpcPort = (int) StateFiles.parseLong(state.getProperty("rpcPort"), 0);
      c.lastTaskManagerIndex = (int) StateFiles.parseLong(state.getProperty("lastTaskManager"), 0);
    }
    Stream.concat(Stream.ofNullable(s.jobManager()), s.taskManagers().stream())
        .filter(ClusterStatus.ProcessStatus::running)
        .forEach(p -> ProcessHandle.of(p.pid()).ifPresent(h -> c.handles.put(p.name(), h)));
    for (int i : c.taskManagerIndexes()) {
      c.lastTaskManagerIndex = Math.max(c.lastTaskManagerIndex, i);
    }
    if (c.restPort > 0) {
      c.rest = FlinkRestClient.forAddress(HOST + ":" + c.restPort);
    }
    return Optional.of(c);
  }

  private void writeState() {
    Properties state = new Properties();
    state.setProperty("restPort", Integer.toString(restPort));
    state.setProperty("rpcPort", Integer.toString(rpcPort));
    state.setProperty("restUrl", restUrl());
    state.setProperty("lastTaskManager", Integer.toString(lastTaskManagerIndex));
    state.setProperty("conf", workDir.resolve(CONF_DIR).toString());
    state.setProperty("startedAt", Instant.now().toString());
    files.writeState(state);
  }

  // ---------------------------------------------------------------- accessors

  /** {@code http://127.0.0.1:PORT}: the REST API and the web dashboard. */
  public String restUrl() {
    return "http://" + HOST + ":" + restPort;
  }

  public int restPort() {
    return restPort;
  }

  public int rpcPort() {
    return rpcPort;
  }

  /** A REST client on this cluster's JobManager. */
  public FlinkRestClient rest() {
    if (rest == null) {
      throw new IllegalStateException("the cluster in " + workDir + " has not been started");
    }
    return rest;
  }

  public Path workDir() {
    return workDir;
  }

  /** The log file of {@code jobmanager} or {@code taskmanager-N}. */
  public Path logFile(String name) {
    return files.logFile(name);
  }

  /** How long after launch the REST API first answered (null for an attached cluster). */
  public Duration restReadyAfter() {
    return restReadyAfter;
  }

  /** How long after launch all TaskManagers were registered (null for an attached cluster). */
  public Duration taskManagersReadyAfter() {
    return taskManagersReadyAfter;
  }

  public long jobManagerPid() {
    return pid(JOBMANAGER);
  }

  private long pid(String name) {
    synchronized (lock) {
      ProcessHandle h = handles.get(name);
      return h == null ? -1 : h.pid();
    }
  }

  private void requireJobManager() {
    ProcessHandle h = handles.get(JOBMANAGER);
    if (h == null || !h.isAlive()) {
      throw new IllegalStateException("the Flink JobManager in " + workDir + " is not running");
    }
  }

  // ---------------------------------------------------------------- java, classpath, ports

  /**
   * The java that runs Flink: the builder's Java home, else {@code env.java.home} of the cluster's
   * config.yaml (as Flink's scripts read it), else the one running this code.
   */
  private Path javaExecutable() {
    String source;
    Path home;
    Path conf = workDir.resolve(CONF_DIR).resolve(CONFIG_FILE);
    String configured = Files.isRegularFile(conf) ? FlinkConfigFile.read(conf).get("env.java.home") : null;
    if (javaHome != null) {
      home = javaHome;
      source = "the given Java home";
    } else if (configured != null && !configured.isBlank()) {
      home = Path.of(configured.trim());
      source = "env.java.home in " + sourceConfDir.resolve(CONFIG_FILE);
    } else {
      home = Path.of(System.getProperty("java.home"));
      source = "this JVM's java.home";
    }
    Path java = home.resolve("bin").resolve("java");
    if (!Files.isExecutable(java)) {
      throw new FlinkClusterException("no java at " + java + " (from " + source + "); point it at a JDK 17 or newer");
    }
    return java;
  }

  /** Whether a listener could bind {@code 127.0.0.1:port} now. */
  public static boolean isPortFree(int port) {
    return LoopbackPorts.isFree(port);
  }

  private static int choosePort(int wanted, String flag) {
    if (wanted != 0) {
      if (!isPortFree(wanted)) {
        throw new FlinkClusterException(LoopbackPorts.inUse(wanted, flag));
      }
      return wanted;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new FlinkClusterException("cannot find a free port on " + HOST + ": " + e, e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("interrupted while waiting for the Flink cluster", e);
    }
  }

  @Override
  public String toString() {
    return "FlinkStandaloneCluster[" + restUrl() + ", " + workDir + ", processes " + handles.keySet() + "]";
  }

  // ---------------------------------------------------------------- builder

  public static final class Builder {
    private final Path workDir;
    private Path confDir;
    private int taskManagers = 2;
    private int restPort = -1;
    private int rpcPort = -1;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private Duration startupTimeout = Duration.ofSeconds(120);
    private Duration stopTimeout = Duration.ofSeconds(20);
    private Path javaHome;
    private boolean detached;

    private Builder(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
      this.confDir = defaultConfDir();
    }

    /**
     * The repository's {@code flink-conf/}: under {@code -Dvaeguard.home} when set (bin/vaeguard sets
     * it), else under the working directory or its parent.
     */
    public static Path defaultConfDir() {
      String home = System.getProperty("vaeguard.home");
      List<Path> candidates = home != null
          ? List.of(Path.of(home, "flink-conf"))
          : List.of(Path.of("flink-conf"), Path.of("..", "flink-conf"));
      return candidates.stream().filter(p -> Files.isRegularFile(p.resolve(CONFIG_FILE))).findFirst()
          .orElse(candidates.get(0)).toAbsolutePath().normalize();
    }

    /** The directory with {@code config.yaml} and {@code log4j.properties}; default {@link #defaultConfDir()}. */
    public Builder confDir(Path dir) {
      this.confDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** TaskManagers to start; default 2. */
    public Builder taskManagers(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("the number of TaskManagers must not be negative, got " + count);
      }
      this.taskManagers = count;
      return this;
    }

    /** REST and dashboard port on 127.0.0.1; 0 picks a free one; default: config.yaml's rest.port. */
    public Builder restPort(int port) {
      this.restPort = LoopbackPorts.check(port);
      return this;
    }

    /** JobManager RPC port; 0 picks a free one; default: config.yaml's jobmanager.rpc.port. */
    public Builder rpcPort(int port) {
      this.rpcPort = LoopbackPorts.check(port);
      return this;
    }

    /** A Flink setting written over config.yaml's, e.g. {@code ("taskmanager.numberOfTaskSlots", 2)}. */
    public Builder config(String key, Object value) {
      config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long {@link #start()} waits for the REST API and every TaskManager; default 120 s. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Durations.requirePositive(timeout, "startupTimeout");
      return this;
    }

    /** How long {@link #stop()} waits after SIGTERM before SIGKILL; default 20 s. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Durations.requirePositive(timeout, "stopTimeout");
      return this;
    }

    /** The JDK that runs Flink; default JAVA_HOME, else the one running this code. */
    public Builder javaHome(Path home) {
      this.javaHome = Objects.requireNonNull(home, "home");
      return this;
    }

    /**
     * Keep the cluster running when this JVM exits (for {@code vaeguard cluster start}): no shutdown
     * hook, no watch on this process. Default false: the cluster ends with this JVM.
     */
    public Builder detached(boolean detached) {
      this.detached = detached;
      return this;
    }

    public FlinkStandaloneCluster build() {
      return new FlinkStandaloneCluster(this);
    }

    /** {@code build().start()}. */
    public FlinkStandaloneCluster start() {
      return build().start();
    }
  }
}
