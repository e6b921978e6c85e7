package io.vaeguard.local.kafka;

import io.vaeguard.local.process.ChildClasspath;
import io.vaeguard.local.process.ChildCommand;
import io.vaeguard.local.process.ChildProcessLauncher;
import io.vaeguard.local.process.FlaggedPort;
import io.vaeguard.local.process.LaunchSettings;
import io.vaeguard.local.process.LauncherBuilder;
import io.vaeguard.local.process.LoopbackPorts;
import io.vaeguard.local.process.ManagedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) in its own JVM, from the Kafka
 * 4.3.1 jars this module's build resolved from Maven, bound to 127.0.0.1 only.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.builder(tempDir).start()) {
 *   kafka.createTopics("in", "out");
 *   ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>The work directory holds everything: {@code server.properties}, the data ({@code data/}), the
 * broker's output ({@code broker.log}) and a state file ({@code local-kafka.properties}, pid and
 * ports) through which {@link #status(Path)} and {@link #attach(Path)} find a broker started by
 * another process, as {@code vaeguard kafka start|status|stop} do.
 *
 * <p>The broker JVM's classpath is {@code broker-classpath.txt}, written next to this class by the
 * module's build ({@code dependency:build-classpath}), never the caller's classpath; {@code
 * -Dvaeguard.kafka.classpath} or {@code VAEGUARD_KAFKA_CLASSPATH} replace it.
 *
 * <p>Its life (start, readiness, stop, the shutdown hook) is {@link ChildProcessLauncher}'s; this
 * class supplies the broker's configuration, its readiness probe and its error words.
 */
public final class LocalKafka implements AutoCloseable {
  /** Every listener binds here and only here. */
  public static final String HOST = LoopbackPorts.HOST;

  public static final String CLASSPATH_PROPERTY = "vaeguard.kafka.classpath";
  public static final String CLASSPATH_ENV = "VAEGUARD_KAFKA_CLASSPATH";

  static final String STATE_FILE = "local-kafka.properties";
  static final String CONFIG_FILE = "server.properties";
  static final String LOG_FILE = "broker.log";
  static final String DATA_DIR = "data";
  static final String CLASSPATH_RESOURCE = "broker-classpath.txt";
  static final String KAFKA_MAIN = "kafka.Kafka";

  /** The broker's name among {@link ChildProcessLauncher}'s children, and in bind errors. */
  static final String BROKER = "broker";

  /** A failed start gives the broker this long after SIGTERM. */
  private static final Duration FAILED_START_GRACE = Duration.ofSeconds(2);

  private static final Duration POLL = Duration.ofMillis(100);
  private static final ChildClasspath BROKER_CLASSPATH =
      new ChildClasspath(
          "Kafka broker classpath",
          "local",
          CLASSPATH_PROPERTY,
          CLASSPATH_ENV,
          LocalKafka.class,
          CLASSPATH_RESOURCE,
          LocalKafkaException::new);

  private final Path workDir;
  private final int requestedPort;
  private final int requestedControllerPort;
  private final Duration startupTimeout;
  private final Duration stopTimeout;
  private final String maxHeap;
  private final List<String> jvmOptions;
  private final Map<String, String> brokerProperties;
  private final Map<String, Integer> storageFeatures;
  private final BrokerWorkDir files;
  private final ChildProcessLauncher children;
  private final BrokerAdmin admin;

  private final Object lock = new Object();
  private volatile long pid = -1;
  private volatile int port;
  private volatile int controllerPort;

  private LocalKafka(Builder b) {
    LaunchSettings s = b.settings();
    this.workDir = s.workDir();
    this.requestedPort = b.port;
    this.requestedControllerPort = b.controllerPort;
    this.startupTimeout = s.startupTimeout();
    this.stopTimeout = s.stopTimeout();
    this.maxHeap = b.maxHeap;
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.brokerProperties = new LinkedHashMap<>(b.brokerProperties);
    this.storageFeatures = new LinkedHashMap<>(b.storageFeatures);
    this.files = new BrokerWorkDir(workDir);
    this.children = s.launcher(LocalKafka.class, new BrokerSpec(files, () -> controllerPort));
    this.admin = new BrokerAdmin(this::bootstrapServers, logFile());
  }

  /** A broker whose files live in {@code workDir} (created if missing). */
  public static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  // ---------------------------------------------------------------- start

  /**
   * Writes the configuration, formats the storage when it is new, starts the broker JVM and waits
   * until the broker answers a describeCluster with itself as an unfenced node.
   *
   * @throws LocalKafkaException when a port is taken, a broker already runs in the work directory,
   *     the broker exits during start, or it does not answer within the startup timeout; no broker
   *     process is left behind in any of these cases
   */
  public LocalKafka start() {
    synchronized (lock) {
      try {
        children.start(
            () -> "this LocalKafka was already started (pid " + pid + ")",
            FAILED_START_GRACE,
            this::launchAndAwait);
      } catch (RuntimeException e) {
        admin.close();
        throw e;
      }
      return this;
    }
  }

  private void launchAndAwait() {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new LocalKafkaException("cannot create the Kafka work directory " + workDir, e);
    }
    BrokerStatus existing = status(workDir);
    if (existing.isRunning()) {
      throw new LocalKafkaException(
          "a Kafka broker is already running in "
              + workDir
              + " (pid "
              + existing.pid()
              + ", "
              + existing.bootstrapServers()
              + "); stop it first or use another work directory");
    }
    files.deleteState();
    List<String> classpath = brokerClasspath();
    if (requestedPort != 0 && requestedPort == requestedControllerPort) {
      throw new LocalKafkaException(
          "port "
              + requestedPort
              + " was asked for both the client and the controller listener; give --port and"
              + " --controller-port different values");
    }
    int[] ports =
        LoopbackPorts.choose(
            LocalKafkaException::new,
            new FlaggedPort(requestedPort, "--port"),
            new FlaggedPort(requestedControllerPort, "--controller-port"));
    port = ports[0];
    controllerPort = ports[1];
    try {
      launch(classpath);
    } catch (IOException e) {
      throw new LocalKafkaException("cannot start the Kafka broker in " + workDir + ": " + e, e);
    }
    awaitReady();
  }

  private void launch(List<String> classpath) throws IOException {
    Path config = files.config();
    Path dataDir = workDir.resolve(DATA_DIR);
    Files.createDirectories(dataDir);
    writeLines(
        config, BrokerConfig.serverProperties(dataDir, port, controllerPort, brokerProperties));
    Path log4j = workDir.resolve("log4j2.properties");
    writeLines(log4j, BrokerConfig.log4jProperties());

    List<String> jvm = new ArrayList<>();
    jvm.add("-Xmx" + maxHeap);
    jvm.add("-Djava.awt.headless=true");
    jvm.add("-Dlog4j2.configurationFile=" + log4j);
    // Kafka logs its own shutdown; log4j's hook would stop the appenders before that
    jvm.add("-Dlog4j2.shutdownHookEnabled=false");
    jvm.add("-Dkafka.logs.dir=" + workDir.resolve("logs"));
    if (!Files.exists(dataDir.resolve("meta.properties"))) {
      Path formatArgs = workDir.resolve("format.args");
      writeLines(formatArgs, BrokerConfig.formatArguments(config, storageFeatures));
      jvm.add("-D" + BrokerMain.FORMAT_ARGS_PROPERTY + "=" + formatArgs);
    }
    jvm.addAll(jvmOptions);
    ManagedProcess broker =
        children.launch(
            BROKER,
            new ChildCommand(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                jvm,
                BrokerMain.class,
                BrokerMain.PARENT_PID_PROPERTY,
                List.of(KAFKA_MAIN, config.toString()),
                classpath,
                Map.of()));
    pid = broker.pid();
    files.writeState(pid, port, controllerPort, bootstrapServers());
  }

  /** Until the client port accepts connections and the broker answers a describeCluster. */
  private void awaitReady() {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    AtomicReference<Throwable> lastError = new AtomicReference<>();
    children.awaitReady(
        deadline,
        POLL,
        () -> {
          if (!LoopbackPorts.canConnect(port)) {
            return false;
          }
          long remainingMs =
              Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
          try {
            return admin.answers((int) Math.min(remainingMs, 3000));
          } catch (ExecutionException e) {
            lastError.set(e.getCause());
            return false;
          }
        },
        () ->
            new LocalKafkaException(
                "the Kafka broker (pid "
                    + pid
                    + ") did not answer on "
                    + bootstrapServers()
                    + " within "
                    + seconds(startupTimeout)
                    + (lastError.get() == null ? "" : " (last error: " + lastError.get() + ")")
                    + "; it was stopped. Its log is "
                    + logFile()
                    + ", last lines:\n"
                    + logTail()));
  }

  // ---------------------------------------------------------------- topics

  /** Creates topics with one partition each; topics that exist already are left as they are. */
  public void createTopics(String... names) {
    createTopics(1, names);
  }

  /**
   * Creates topics with {@code partitions} partitions each (replication factor 1) and waits until
   * every partition has a leader; topics that exist already are left as they are.
   */
  public void createTopics(int partitions, String... names) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    if (names.length == 0) {
      return;
    }
    requireRunning();
    admin.createTopics(partitions, names);
  }

  // ---------------------------------------------------------------- stop

  /**
   * Stops the broker: SIGTERM (Kafka shuts down cleanly), then after the stop timeout SIGKILL, for
   * the process and anything it started. Does nothing when it is not running.
   */
  public void stop() {
    admin.close();
    // an attached pid that ended or was reused by another program since is not signalled
    List<ManagedProcess> alive = children.stop(stopTimeout);
    if (!alive.isEmpty()) {
      long p = alive.get(0).pid();
      throw new LocalKafkaException(
          "the Kafka broker (pid " + p + ") is still alive after SIGKILL; check `ps -p " + p + "`");
    }
  }

  /**
   * Closes this handle's admin client and leaves the broker running: for a detached broker whose
   * starter is done with it ({@code vaeguard kafka start}). {@link #createTopics} and {@link
   * #stop()} still work afterwards.
   */
  public void release() {
    admin.close();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  // ---------------------------------------------------------------- across processes

  /** What the work directory's state file says, checked against the live processes. */
  public static BrokerStatus status(Path workDir) {
    return new BrokerWorkDir(workDir).status();
  }

  /**
   * A handle on the broker another process started in {@code workDir} (e.g. {@code vaeguard kafka
   * start}), to create topics or {@link #stop()} it; empty when none runs there. Stopping it only
   * signals the recorded pid, and only while that pid is the Kafka broker of this work directory.
   */
  public static Optional<LocalKafka> attach(Path workDir) {
    BrokerStatus s = status(workDir);
    LocalKafka kafka = builder(workDir).detached(true).build();
    if (!s.isRunning() || !kafka.children.found(BROKER, s.pid())) {
      return Optional.empty();
    }
    kafka.pid = s.pid();
    kafka.port = s.port();
    kafka.controllerPort = s.controllerPort();
    return Optional.of(kafka);
  }

  // ---------------------------------------------------------------- accessors

  /** {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The client (PLAINTEXT) port; 0 before start when it was left to be chosen. */
  public int port() {
    return port > 0 ? port : requestedPort;
  }

  public int controllerPort() {
    return controllerPort > 0 ? controllerPort : requestedControllerPort;
  }

  public Path workDir() {
    return workDir;
  }

  /** The broker JVM's stdout and stderr. */
  public Path logFile() {
    return files.logFile();
  }

  public boolean isRunning() {
    return children.child(BROKER).map(ManagedProcess::isAlive).orElse(false);
  }

  /** The broker JVM's pid: -1 before start; after stop, the pid it had. */
  public long pid() {
    return pid;
  }

  private void requireRunning() {
    if (!isRunning()) {
      throw new IllegalStateException(
          "the Kafka broker in "
              + workDir
              + " is not running"
              + (pid > 0 ? " (pid " + pid + " ended; log " + logFile() + ")" : ""));
    }
  }

  /** Whether a listener could bind {@code 127.0.0.1:port} now. */
  public static boolean isPortFree(int port) {
    return LoopbackPorts.isFree(port);
  }

  // ---------------------------------------------------------------- classpath, files

  /**
   * The broker JVM's classpath: {@code -Dvaeguard.kafka.classpath}, else {@code
   * VAEGUARD_KAFKA_CLASSPATH}, else {@code broker-classpath.txt} from this module's build.
   */
  static List<String> brokerClasspath() {
    return BROKER_CLASSPATH.resolve();
  }

  /** The last lines of the broker's log, for error messages. */
  String logTail() {
    return files.log().tail();
  }

  private static void writeLines(Path file, List<String> lines) throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  @Override
  public String toString() {
    return "LocalKafka[" + bootstrapServers() + ", pid " + pid + ", " + workDir + "]";
  }

  // ---------------------------------------------------------------- builder

  /** The broker's settings; the startup timeout defaults to 60 s. */
  public static final class Builder extends LauncherBuilder<Builder> {
    private int port;
    private int controllerPort;
    private String maxHeap = "512m";
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final Map<String, Integer> storageFeatures = new LinkedHashMap<>();

    private Builder(Path workDir) {
      super(workDir, Duration.ofSeconds(60));
    }

    /** Client (PLAINTEXT) listener port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = LoopbackPorts.check(port);
      return this;
    }

    /** Controller listener port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder controllerPort(int port) {
      this.controllerPort = LoopbackPorts.check(port);
      return this;
    }

    /** The broker JVM's -Xmx; default 512m. */
    public Builder maxHeap(String size) {
      this.maxHeap = Objects.requireNonNull(size, "size");
      return this;
    }

    /** An extra option for the broker JVM, e.g. {@code -XX:+UseSerialGC}. */
    public Builder jvmOption(String option) {
      jvmOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /** A broker property written to server.properties after, and over, the defaults. */
    public Builder brokerProperty(String name, String value) {
      brokerProperties.put(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder brokerProperties(Map<String, String> properties) {
      properties.forEach(this::brokerProperty);
      return this;
    }

    /**
     * A feature level for a new work directory's format, e.g. {@code ("transaction.version", 1)}
     * for clients that do not handle transactions v2; ignored when the storage exists.
     */
    public Builder storageFeature(String name, int level) {
      storageFeatures.put(Objects.requireNonNull(name, "name"), level);
      return this;
    }

    public LocalKafka build() {
      return new LocalKafka(this);
    }

    /** {@code build().start()}. */
    public LocalKafka start() {
      return build().start();
    }
  }
}
