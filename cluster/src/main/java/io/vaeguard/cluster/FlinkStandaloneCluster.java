package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildProcessLauncher;
import io.vaeguard.local.process.LaunchSettings;
import io.vaeguard.local.process.LoopbackPorts;
import io.vaeguard.local.process.ManagedProcess;
import io.vaeguard.local.process.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster on this machine: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each in its
 * own JVM, on the Flink 2.2 jars this module's build resolved from Maven Central (there is no Flink
 * distribution there), bound to 127.0.0.1 only.
 *
 * <pre>{@code
 * try (FlinkStandaloneCluster flink = FlinkStandaloneCluster.builder(Path.of("work/flink")).taskManagers(2).start()) {
 *   String rest = flink.restUrl(); // for `vaeguard submit --jobmanager`, or Flink's own client
 *   ...
 * }
 * }</pre>
 *
 * <p>What Flink's {@code bin/} scripts do is done here: the configuration ({@code config.yaml} and
 * {@code log4j*.properties} from a conf directory, by default the repository's {@code flink-conf/})
 * is copied to {@code WORK/conf} with the ports and directories of this cluster filled in ({@link
 * ClusterConfig}); each JVM's command line is {@link FlinkProcess}'s.
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
 *
 * <p>The processes' life (start, readiness, stop, the shutdown hook) is {@link
 * ChildProcessLauncher}'s; this class starts them in order, {@link ClusterReadiness} waits for
 * them, {@link TaskManagers} numbers the TaskManagers, {@link FlinkClusterSpec} gives their records
 * and error words.
 */
public final class FlinkStandaloneCluster implements AutoCloseable {
  /** Every listener binds here and only here. */
  public static final String HOST = LoopbackPorts.HOST;

  public static final String JOBMANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  public static final String TASKMANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  static final String LOG_DIR = ClusterWorkDir.LOG_DIR;
  static final String JOBMANAGER = ClusterWorkDir.JOBMANAGER;
  static final String CONFIG_FILE = "config.yaml";

  /** A failed start gives the processes this long after SIGTERM. */
  private static final Duration FAILED_START_GRACE = Duration.ofSeconds(3);

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

  /** "jobmanager" and "taskmanager-N", started here or found by {@link #attach}. */
  private final ChildProcessLauncher children;

  private final TaskManagers taskManagers;
  private final ClusterReadiness readiness;

  private final Object lock = new Object();
  private volatile int restPort;
  private volatile int rpcPort;
  private List<String> classpath;
  private FlinkResourceParams taskManagerParams;
  private FlinkRestClient rest;
  private Duration restReadyAfter;
  private Duration taskManagersReadyAfter;

  private FlinkStandaloneCluster(Builder b) {
    LaunchSettings s = b.settings();
    this.workDir = s.workDir();
    this.files = new ClusterWorkDir(workDir);
    this.sourceConfDir = b.confDir;
    this.taskManagerCount = b.taskManagers;
    this.requestedRestPort = b.restPort;
    this.requestedRpcPort = b.rpcPort;
    this.overrides = new LinkedHashMap<>(b.config);
    this.startupTimeout = s.startupTimeout();
    this.stopTimeout = s.stopTimeout();
    this.javaHome = b.javaHome;
    this.children =
        s.launcher(
            FlinkStandaloneCluster.class,
            new FlinkClusterSpec(files, () -> restPort, () -> rpcPort));
    this.taskManagers = new TaskManagers(children);
    this.readiness = new ClusterReadiness(children, taskManagers, files);
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
   * @throws FlinkClusterException when a port is taken, java is missing, a cluster already runs in
   *     the work directory, a process exits during start, or the cluster is not up within the
   *     startup timeout; no process is left behind in any of these cases
   */
  public FlinkStandaloneCluster start() {
    synchronized (lock) {
      children.start(
          () -> "this cluster was already started in " + workDir,
          FAILED_START_GRACE,
          this::launchAndAwait);
      return this;
    }
  }

  private void launchAndAwait() {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "cannot create the cluster's work directory " + workDir + ": " + e, e);
    }
    ClusterStatus existing = status(workDir);
    if (existing.anyRunning()) {
      throw new FlinkClusterException(
          "a Flink cluster is already running in "
              + workDir
              + " ("
              + existing.describe()
              + "); stop it with `vaeguard cluster stop --dir "
              + workDir
              + "` or use another --dir");
    }
    files.deleteStateFiles();
    classpath = FlinkClasspath.resolve();
    ClusterConfig config =
        ClusterConfig.write(sourceConfDir, files, overrides, requestedRestPort, requestedRpcPort);
    restPort = config.restPort();
    rpcPort = config.rpcPort();
    Path java = javaExecutable();
    long started = System.nanoTime();
    FlinkResourceParams.Both params = FlinkResourceParams.both(java, files, classpath);
    taskManagerParams = params.taskManager();
    launch(
        FlinkProcess.jobManager(
            params.jobManager(), config.file().get("env.java.opts.jobmanager", "")));
    writeState();
    for (int i = 0; i < taskManagerCount; i++) {
      launchTaskManager();
    }
    rest = FlinkRestClient.forAddress(HOST + ":" + restPort);
    readiness.awaitRest(rest, restUrl(), started + startupTimeout.toNanos(), startupTimeout);
    restReadyAfter = Duration.ofNanos(System.nanoTime() - started);
    awaitTaskManagers(taskManagerCount, remaining(started));
    taskManagersReadyAfter = Duration.ofNanos(System.nanoTime() - started);
  }

  private Duration remaining(long startedNanos) {
    long left = startupTimeout.toNanos() - (System.nanoTime() - startedNanos);
    return Duration.ofNanos(Math.max(left, TimeUnit.SECONDS.toNanos(1)));
  }

  /** Starts one more TaskManager (it registers on its own); returns its index. */
  public int addTaskManager() {
    synchronized (lock) {
      requireJobManager();
      if (taskManagerParams == null) {
        classpath = classpath == null ? FlinkClasspath.resolve() : classpath;
        taskManagerParams = FlinkResourceParams.taskManager(javaExecutable(), files, classpath);
      }
      return launchTaskManager();
    }
  }

  private int launchTaskManager() {
    int index = taskManagers.next();
    String opts =
        FlinkConfigFile.read(files.conf().resolve(CONFIG_FILE))
            .get("env.java.opts.taskmanager", "");
    launch(FlinkProcess.taskManager(index, taskManagerParams, opts));
    writeState();
    return index;
  }

  private void launch(FlinkProcess process) {
    try {
      ManagedProcess p =
          children.launch(process.name(), process.command(files, javaExecutable(), classpath));
      files.writePid(process.name(), p.pid());
    } catch (IOException e) {
      throw new FlinkClusterException(
          "cannot start the Flink " + process.name() + " in " + workDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until {@code count} of this cluster's live TaskManagers are registered with the
   * ResourceManager ({@code GET /taskmanagers}); a killed one is not counted even while the
   * JobManager still lists it.
   */
  public void awaitTaskManagers(int count, Duration timeout) {
    readiness.awaitTaskManagers(this::rest, restUrl(), count, timeout);
  }

  // ---------------------------------------------------------------- TaskManagers

  /** Indexes of the TaskManagers this instance started or found, alive or not, in order. */
  public List<Integer> taskManagerIndexes() {
    return taskManagers.indexes();
  }

  /** The pid of TaskManager {@code index}, or -1 when there is none. */
  public long taskManagerPid(int index) {
    return pid(TaskManagers.name(index));
  }

  /**
   * The ResourceManager's id of TaskManager {@code index} (what {@code GET /taskmanagers} lists).
   */
  public static String taskManagerResourceId(int index) {
    return ClusterWorkDir.resourceId(TaskManagers.name(index));
  }

  /**
   * Kills TaskManager {@code index} with SIGKILL, as a crash would (no clean shutdown, no goodbye
   * to the JobManager), and waits until the process is gone.
   */
  public void killTaskManager(int index) {
    String name = TaskManagers.name(index);
    synchronized (lock) {
      ManagedProcess tm =
          taskManagers
              .process(index)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no TaskManager "
                              + index
                              + " in "
                              + workDir
                              + "; there are "
                              + taskManagerIndexes()));
      if (!children.kill(tm)) {
        throw new FlinkClusterException(
            "pid " + tm.pid() + " is no longer " + name + " of " + workDir + "; not signalling it");
      }
    }
  }

  // ---------------------------------------------------------------- stop

  /**
   * Stops every process of this cluster: SIGTERM (Flink shuts down cleanly), then SIGKILL after the
   * stop timeout. Only processes this directory's PID files name, and only while they are still
   * those processes, are signalled. Does nothing when nothing runs.
   */
  public void stop() {
    synchronized (lock) {
      List<ManagedProcess> alive = children.stop(stopTimeout);
      if (!alive.isEmpty()) {
        throw new FlinkClusterException("still alive after SIGKILL: " + alive);
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  // ---------------------------------------------------------------- across processes

  /** What the work directory's PID files say, checked against the live processes. */
  public static ClusterStatus status(Path workDir) {
    return new ClusterWorkDir(workDir).status();
  }

  /**
   * A handle on the cluster another process started in {@code workDir} (e.g. {@code vaeguard
   * cluster start}), to stop it, add or kill TaskManagers or reach its REST API; empty when nothing
   * of it runs.
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
      c.taskManagers.seen((int) StateFiles.parseLong(state.getProperty("lastTaskManager"), 0));
    }
    Stream.concat(Stream.ofNullable(s.jobManager()), s.taskManagers().stream())
        .filter(ClusterStatus.ProcessStatus::running)
        .forEach(p -> c.children.found(p.name(), p.pid()));
    c.taskManagerIndexes().forEach(c.taskManagers::seen);
    if (c.restPort > 0) {
      c.rest = FlinkRestClient.forAddress(HOST + ":" + c.restPort);
    }
    return Optional.of(c);
  }

  private void writeState() {
    files.writeState(restPort, rpcPort, restUrl(), taskManagers.lastIndex());
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
    return children.child(name).map(ManagedProcess::pid).orElse(-1L);
  }

  private void requireJobManager() {
    if (!children.child(JOBMANAGER).map(ManagedProcess::isAlive).orElse(false)) {
      throw new IllegalStateException("the Flink JobManager in " + workDir + " is not running");
    }
  }

  /**
   * {@link FlinkJava#find}: the builder's Java home, else config.yaml's env.java.home, else this
   * JVM's.
   */
  private Path javaExecutable() {
    return FlinkJava.find(javaHome, files, sourceConfDir);
  }

  /** Whether a listener could bind {@code 127.0.0.1:port} now. */
  public static boolean isPortFree(int port) {
    return LoopbackPorts.isFree(port);
  }

  @Override
  public String toString() {
    return "FlinkStandaloneCluster["
        + restUrl()
        + ", "
        + workDir
        + ", processes "
        + children.children().stream().map(ManagedProcess::name).toList()
        + "]";
  }

  // ---------------------------------------------------------------- builder

  /** The cluster's settings ({@link FlinkClusterSettings}). */
  public static final class Builder extends FlinkClusterSettings<Builder> {
    private Builder(Path workDir) {
      super(workDir);
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
