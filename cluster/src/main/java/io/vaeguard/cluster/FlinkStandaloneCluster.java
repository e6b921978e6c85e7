package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildCommand;
import io.vaeguard.local.process.ChildProcessLauncher;
import io.vaeguard.local.process.LaunchSettings;
import io.vaeguard.local.process.LauncherBuilder;
import io.vaeguard.local.process.LoopbackPorts;
import io.vaeguard.local.process.ManagedProcess;
import io.vaeguard.local.process.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * ClusterConfig}); JVM heap and memory flags come from Flink's {@code BashJavaUtils} ({@link
 * FlinkResourceParams}) run on that configuration; {@code env.java.opts.*} from it (the {@code
 * --add-opens} flags Java 17 needs) go on every JVM.
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
 * ChildProcessLauncher}'s; this class supplies their command lines and readiness probes, {@link
 * FlinkClusterSpec} their records and error words.
 */
public final class FlinkStandaloneCluster implements AutoCloseable {
  /** Every listener binds here and only here. */
  public static final String HOST = LoopbackPorts.HOST;

  public static final String JOBMANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  public static final String TASKMANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  static final String CONF_DIR = ClusterWorkDir.CONF_DIR;
  static final String LOG_DIR = ClusterWorkDir.LOG_DIR;
  static final String JOBMANAGER = ClusterWorkDir.JOBMANAGER;
  static final String TASKMANAGER_PREFIX = ClusterWorkDir.TASKMANAGER_PREFIX;
  static final String CONFIG_FILE = "config.yaml";

  private static final int LOG_TAIL_LINES = ClusterWorkDir.LOG_TAIL_LINES;

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

  private final Object lock = new Object();
  private volatile int restPort;
  private volatile int rpcPort;
  private int lastTaskManagerIndex;
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
        JOBMANAGER,
        JOBMANAGER_MAIN,
        params.jobManager(),
        config.file().get("env.java.opts.jobmanager", ""),
        List.of());
    writeState();
    for (int i = 0; i < taskManagerCount; i++) {
      launchTaskManager();
    }
    rest = FlinkRestClient.forAddress(HOST + ":" + restPort);
    awaitRest(started);
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
    int index = ++lastTaskManagerIndex;
    String resourceId = ClusterWorkDir.resourceId(TASKMANAGER_PREFIX + index);
    String opts =
        FlinkConfigFile.read(files.conf().resolve(CONFIG_FILE))
            .get("env.java.opts.taskmanager", "");
    launch(
        TASKMANAGER_PREFIX + index,
        TASKMANAGER_MAIN,
        taskManagerParams,
        opts,
        List.of("-D", "taskmanager.resource-id=" + resourceId));
    writeState();
    return index;
  }

  private void launch(
      String name,
      String mainClass,
      FlinkResourceParams params,
      String roleOpts,
      List<String> extraArgs) {
    Path conf = files.conf();
    FlinkConfigFile config = FlinkConfigFile.read(conf.resolve(CONFIG_FILE));
    List<String> jvm = new ArrayList<>(params.jvmOptions());
    jvm.addAll(FlinkResourceParams.split(config.get("env.java.opts.all", "")));
    jvm.addAll(FlinkResourceParams.split(roleOpts));
    jvm.add("-Dlog.file=" + files.logFile(name));
    jvm.add("-Dlog4j.configuration=file:" + conf.resolve("log4j.properties"));
    jvm.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
    jvm.add("-Dlogback.configurationFile=file:" + conf.resolve("logback.xml"));
    List<String> args = new ArrayList<>(List.of(mainClass, "--configDir", conf.toString()));
    args.addAll(params.dynamicProperties());
    args.addAll(extraArgs);
    try {
      ManagedProcess p =
          children.launch(
              name,
              new ChildCommand(
                  javaExecutable(),
                  jvm,
                  FlinkProcessMain.class,
                  FlinkProcessMain.PARENT_PID_PROPERTY,
                  args,
                  classpath,
                  files.environment()));
      files.writePid(name, p.pid());
    } catch (IOException e) {
      throw new FlinkClusterException(
          "cannot start the Flink " + name + " in " + workDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitRest(long startedNanos) {
    children.awaitReady(
        startedNanos + startupTimeout.toNanos(),
        Duration.ofMillis(100),
        rest::isUp,
        () ->
            new FlinkClusterException(
                "the Flink JobManager (pid "
                    + pid(JOBMANAGER)
                    + ") did not answer on "
                    + restUrl()
                    + " within "
                    + startupTimeout.toSeconds()
                    + " s; it was stopped. Its log is "
                    + logFile(JOBMANAGER)
                    + ", last lines:\n"
                    + ClusterWorkDir.tail(logFile(JOBMANAGER), LOG_TAIL_LINES)));
    restReadyAfter = Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /**
   * Waits until {@code count} of this cluster's live TaskManagers are registered with the
   * ResourceManager ({@code GET /taskmanagers}); a killed one is not counted even while the
   * JobManager still lists it.
   */
  public void awaitTaskManagers(int count, Duration timeout) {
    AtomicLong registered = new AtomicLong();
    children.awaitReady(
        System.nanoTime() + timeout.toNanos(),
        Duration.ofMillis(200),
        () -> {
          List<String> live = liveResourceIds();
          registered.set(
              rest().taskManagers().stream().filter(tm -> live.contains(tm.id())).count());
          return registered.get() >= count;
        },
        () -> {
          List<String> tms = taskManagerNames();
          String name = tms.isEmpty() ? JOBMANAGER : tms.get(tms.size() - 1);
          return new FlinkClusterException(
              registered.get()
                  + " of "
                  + count
                  + " TaskManagers registered with the JobManager at "
                  + restUrl()
                  + " within "
                  + timeout.toSeconds()
                  + " s; log of "
                  + name
                  + " ("
                  + logFile(name)
                  + "), last lines:\n"
                  + ClusterWorkDir.tail(logFile(name), LOG_TAIL_LINES));
        });
  }

  private List<String> liveResourceIds() {
    return children.children().stream()
        .filter(c -> c.name().startsWith(TASKMANAGER_PREFIX) && c.isAlive())
        .map(c -> ClusterWorkDir.resourceId(c.name()))
        .toList();
  }

  // ---------------------------------------------------------------- TaskManagers

  /** Indexes of the TaskManagers this instance started or found, alive or not, in order. */
  public List<Integer> taskManagerIndexes() {
    return children.children().stream()
        .map(ManagedProcess::name)
        .filter(n -> n.startsWith(TASKMANAGER_PREFIX))
        .map(n -> Integer.parseInt(n.substring(TASKMANAGER_PREFIX.length())))
        .sorted()
        .toList();
  }

  private List<String> taskManagerNames() {
    return taskManagerIndexes().stream().map(i -> TASKMANAGER_PREFIX + i).toList();
  }

  /** The pid of TaskManager {@code index}, or -1 when there is none. */
  public long taskManagerPid(int index) {
    return pid(TASKMANAGER_PREFIX + index);
  }

  /**
   * The ResourceManager's id of TaskManager {@code index} (what {@code GET /taskmanagers} lists).
   */
  public static String taskManagerResourceId(int index) {
    return ClusterWorkDir.resourceId(TASKMANAGER_PREFIX + index);
  }

  /**
   * Kills TaskManager {@code index} with SIGKILL, as a crash would (no clean shutdown, no goodbye
   * to the JobManager), and waits until the process is gone.
   */
  public void killTaskManager(int index) {
    String name = TASKMANAGER_PREFIX + index;
    synchronized (lock) {
      ManagedProcess tm =
          children
              .child(name)
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
      c.lastTaskManagerIndex = (int) StateFiles.parseLong(state.getProperty("lastTaskManager"), 0);
    }
    Stream.concat(Stream.ofNullable(s.jobManager()), s.taskManagers().stream())
        .filter(ClusterStatus.ProcessStatus::running)
        .forEach(p -> c.children.found(p.name(), p.pid()));
    for (int i : c.taskManagerIndexes()) {
      c.lastTaskManagerIndex = Math.max(c.lastTaskManagerIndex, i);
    }
    if (c.restPort > 0) {
      c.rest = FlinkRestClient.forAddress(HOST + ":" + c.restPort);
    }
    return Optional.of(c);
  }

  private void writeState() {
    files.writeState(restPort, rpcPort, restUrl(), lastTaskManagerIndex);
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

  /** The cluster's settings; the startup timeout defaults to 120 s. */
  public static final class Builder extends LauncherBuilder<Builder> {
    private Path confDir;
    private int taskManagers = 2;
    private int restPort = -1;
    private int rpcPort = -1;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private Path javaHome;

    private Builder(Path workDir) {
      super(workDir, Duration.ofSeconds(120));
      this.confDir = defaultConfDir();
    }

    /**
     * The repository's {@code flink-conf/}: under {@code -Dvaeguard.home} when set (bin/vaeguard
     * sets it), else under the working directory or its parent.
     */
    public static Path defaultConfDir() {
      String home = System.getProperty("vaeguard.home");
      List<Path> candidates =
          home != null
              ? List.of(Path.of(home, "flink-conf"))
              : List.of(Path.of("flink-conf"), Path.of("..", "flink-conf"));
      return candidates.stream()
          .filter(p -> Files.isRegularFile(p.resolve(CONFIG_FILE)))
          .findFirst()
          .orElse(candidates.get(0))
          .toAbsolutePath()
          .normalize();
    }

    /**
     * The directory with {@code config.yaml} and {@code log4j.properties}; default {@link
     * #defaultConfDir()}.
     */
    public Builder confDir(Path dir) {
      this.confDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** TaskManagers to start; default 2. */
    public Builder taskManagers(int count) {
      if (count < 0) {
        throw new IllegalArgumentException(
            "the number of TaskManagers must not be negative, got " + count);
      }
      this.taskManagers = count;
      return this;
    }

    /**
     * REST and dashboard port on 127.0.0.1; 0 picks a free one; default: config.yaml's rest.port.
     */
    public Builder restPort(int port) {
      this.restPort = LoopbackPorts.check(port);
      return this;
    }

    /** JobManager RPC port; 0 picks a free one; default: config.yaml's jobmanager.rpc.port. */
    public Builder rpcPort(int port) {
      this.rpcPort = LoopbackPorts.check(port);
      return this;
    }

    /**
     * A Flink setting written over config.yaml's, e.g. {@code ("taskmanager.numberOfTaskSlots",
     * 2)}.
     */
    public Builder config(String key, Object value) {
      config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The JDK that runs Flink; default JAVA_HOME, else the one running this code. */
    public Builder javaHome(Path home) {
      this.javaHome = Objects.requireNonNull(home, "home");
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
