package io.vaeguard.local.kafka;

import io.vaeguard.local.process.ChildClasspath;
import io.vaeguard.local.process.ChildJvm;
import io.vaeguard.local.process.Durations;
import io.vaeguard.local.process.LauncherDir;
import io.vaeguard.local.process.LogTail;
import io.vaeguard.local.process.LoopbackPorts;
import io.vaeguard.local.process.ProcessCommandLine;
import io.vaeguard.local.process.ProcessTree;
import io.vaeguard.local.process.ShutdownHook;
import io.vaeguard.local.process.StateFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

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

  private static final int LOG_TAIL_LINES = 20;
  private static final LogTail LOG_TAIL = new LogTail(64 * 1024, false);
  private static final ChildClasspath BROKER_CLASSPATH =
      new ChildClasspath(
          "Kafka broker classpath",
          "local",
          CLASSPATH_PROPERTY,
          CLASSPATH_ENV,
          LocalKafka.class,
          CLASSPATH_RESOURCE,
          LocalKafkaException::new);
  private static final Pattern BIND_FAILURE =
      Pattern.compile("failed to bind to " + Pattern.quote(HOST) + ":(\\d+)");

  private final Path workDir;
  private final int requestedPort;
  private final int requestedControllerPort;
  private final Duration startupTimeout;
  private final Duration stopTimeout;
  private final String maxHeap;
  private final List<String> jvmOptions;
  private final Map<String, String> brokerProperties;
  private final Map<String, Integer> storageFeatures;
  private final boolean detached;

  private final Object lock = new Object();
  private volatile ProcessHandle handle;
  private volatile Process process;
  private volatile long pid = -1;
  private volatile int port;
  private volatile int controllerPort;
  private Admin admin;
  private ShutdownHook shutdownHook;

  private LocalKafka(Builder b) {
    this.workDir = b.workDir.toAbsolutePath().normalize();
    this.requestedPort = b.port;
    this.requestedControllerPort = b.controllerPort;
    this.startupTimeout = b.startupTimeout;
    this.stopTimeout = b.stopTimeout;
    this.maxHeap = b.maxHeap;
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.brokerProperties = new LinkedHashMap<>(b.brokerProperties);
    this.storageFeatures = new LinkedHashMap<>(b.storageFeatures);
    this.detached = b.detached;
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
      if (handle != null) {
        throw new IllegalStateException("this LocalKafka was already started (pid " + pid + ")");
      }
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
      StateFiles.deleteQuietly(workDir.resolve(STATE_FILE));
      List<String> classpath = brokerClasspath();
      int[] ports = choosePorts(requestedPort, requestedControllerPort);
      port = ports[0];
      controllerPort = ports[1];
      try {
        launch(classpath);
      } catch (IOException e) {
        destroyNow();
        throw new LocalKafkaException("cannot start the Kafka broker in " + workDir + ": " + e, e);
      }
      try {
        awaitReady();
      } catch (RuntimeException e) {
        destroyNow();
        throw e;
      }
      return this;
    }
  }

  private void launch(List<String> classpath) throws IOException {
    Path config = workDir.resolve(CONFIG_FILE);
    Path dataDir = workDir.resolve(DATA_DIR);
    Files.createDirectories(dataDir);
    writeLines(config, serverProperties(dataDir));
    Path log4j = workDir.resolve("log4j2.properties");
    writeLines(log4j, log4jProperties());
    // BrokerMain and what it uses, alone: nothing else of the caller's reaches the broker
    Path launcherDir = LauncherDir.write(workDir, BrokerMain.class, LocalKafka.class);

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("-Djava.awt.headless=true");
    command.add("-Dlog4j2.configurationFile=" + log4j);
    // Kafka logs its own shutdown; log4j's hook would stop the appenders before that
    command.add("-Dlog4j2.shutdownHookEnabled=false");
    command.add("-Dkafka.logs.dir=" + workDir.resolve("logs"));
    if (!detached) {
      command.add("-D" + BrokerMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    }
    if (!Files.exists(dataDir.resolve("meta.properties"))) {
      List<String> format = new ArrayList<>();
      format.addAll(
          List.of(
              "format",
              "--config",
              config.toString(),
              "--cluster-id",
              Uuid.randomUuid().toString(),
              "--ignore-formatted"));
      storageFeatures.forEach(
          (name, level) -> format.addAll(List.of("--feature", name + "=" + level)));
      Path formatArgs = workDir.resolve("format.args");
      writeLines(formatArgs, format);
      command.add("-D" + BrokerMain.FORMAT_ARGS_PROPERTY + "=" + formatArgs);
    }
    command.addAll(jvmOptions);
    command.add(BrokerMain.class.getName());
    command.add(KAFKA_MAIN);
    command.add(config.toString());

    List<String> fullClasspath = new ArrayList<>(classpath);
    fullClasspath.add(launcherDir.toString());
    Process p =
        ChildJvm.start(
            ChildJvm.builder(command, workDir, fullClasspath), workDir.resolve(LOG_FILE));
    process = p;
    handle = p.toHandle();
    pid = p.pid();
    if (!detached) {
      ProcessHandle h = handle;
      shutdownHook =
          ShutdownHook.add(
              "vaeguard-kafka-stop-" + pid,
              () -> {
                ProcessTree.stop(List.of(h), Duration.ofSeconds(5));
                if (!h.isAlive()) {
                  deleteStateFileOf(h.pid());
                }
              });
    }
    writeState();
  }

  private List<String> serverProperties(Path dataDir) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    // static voters: a work directory keeps working when it is restarted on other ports
    p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("log.dirs", dataDir.toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("offsets.topic.segment.bytes", "4194304");
    // transactions on one broker (the Flink exactly-once sink): its state topic must fit one node
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("transaction.state.log.segment.bytes", "4194304");
    // Flink's Kafka sink asks for transaction.timeout.ms up to an hour
    p.put("transaction.max.timeout.ms", "3600000");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.segment.bytes", "16777216");
    // the default 128 MiB would take a quarter of a 512 MiB heap
    p.put("log.cleaner.dedupe.buffer.size", "33554432");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.putAll(brokerProperties);
    List<String> lines = new ArrayList<>();
    lines.add(
        "# written by vaeguard LocalKafka on every start; set extra properties on its builder");
    p.forEach((k, v) -> lines.add(k + "=" + v.replace("\\", "\\\\")));
    return lines;
  }

  private static List<String> log4jProperties() {
    return List.of(
        "status = warn",
        "appender.out.type = Console",
        "appender.out.name = out",
        "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.out.ref = out",
        "logger.request.name = kafka.request.logger",
        "logger.request.level = WARN");
  }

  private void writeState() throws IOException {
    Properties state = new Properties();
    state.setProperty("pid", Long.toString(pid));
    state.setProperty("port", Integer.toString(port));
    state.setProperty("controllerPort", Integer.toString(controllerPort));
    state.setProperty("bootstrapServers", bootstrapServers());
    state.setProperty("config", workDir.resolve(CONFIG_FILE).toString());
    state.setProperty("log", workDir.resolve(LOG_FILE).toString());
    state.setProperty("startedAt", Instant.now().toString());
    StateFiles.write(
        workDir.resolve(STATE_FILE),
        state,
        "vaeguard local Kafka broker; removed when it is stopped");
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    Throwable lastError = null;
    while (true) {
      if (!handle.isAlive()) {
        throw exitedDuringStart();
      }
      if (canConnect(port)) {
        long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
          Collection<Node> nodes =
              admin()
                  .describeCluster(
                      new DescribeClusterOptions().timeoutMs((int) Math.min(remainingMs, 3000)))
                  .nodes()
                  .get();
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          lastError = e.getCause();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new LocalKafkaException("interrupted while waiting for the Kafka broker", e);
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        if (!handle.isAlive()) {
          throw exitedDuringStart();
        }
        throw new LocalKafkaException(
            "the Kafka broker (pid "
                + pid
                + ") did not answer on "
                + bootstrapServers()
                + " within "
                + seconds(startupTimeout)
                + (lastError == null ? "" : " (last error: " + lastError + ")")
                + "; it was stopped. Its log is "
                + logFile()
                + ", last lines:\n"
                + logTail());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalKafkaException("interrupted while waiting for the Kafka broker", e);
      }
    }
  }

  private LocalKafkaException exitedDuringStart() {
    String exit = "";
    try {
      exit = " with status " + process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String tail = logTail();
    // another process took the port between our check and the broker's bind
    Matcher bind = BIND_FAILURE.matcher(LOG_TAIL.of(logFile(), 400));
    if (bind.find()) {
      int taken = Integer.parseInt(bind.group(1));
      return new LocalKafkaException(
          LoopbackPorts.inUse(taken, taken == controllerPort ? "--controller-port" : "--port")
              + " (the broker could not bind it; log "
              + logFile()
              + ")");
    }
    return new LocalKafkaException(
        "the Kafka broker exited"
            + exit
            + " during start; its log is "
            + logFile()
            + ", last lines:\n"
            + tail);
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
    List<NewTopic> topics =
        Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList();
    try {
      var results = admin().createTopics(topics).values();
      for (var e : results.entrySet()) {
        try {
          e.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new LocalKafkaException(
                "cannot create topic "
                    + e.getKey()
                    + " on "
                    + bootstrapServers()
                    + ": "
                    + ex.getCause(),
                ex.getCause());
          }
        }
      }
      awaitLeaders(List.of(names));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalKafkaException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new LocalKafkaException(
          "creating topics "
              + List.of(names)
              + " on "
              + bootstrapServers()
              + " timed out; broker log "
              + logFile(),
          e);
    }
  }

  private void awaitLeaders(List<String> names) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin().describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        boolean ready =
            descriptions.values().stream()
                .flatMap(d -> d.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(leader -> leader != null && !leader.isEmpty());
        if (ready && writable(descriptions.values())) {
          return;
        }
      } catch (ExecutionException e) {
        // metadata not propagated yet: UnknownTopicOrPartition
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TimeoutException("partitions of " + names + " have no leader after 30 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Whether the leaders host the partitions already. The metadata can name a leader a moment
   * before that broker has created the partition; an idempotent producer whose first request lands
   * in that moment can lose it for good (KAFKA-15591: its retries fail with
   * OUT_OF_ORDER_SEQUENCE_NUMBER once a later request is appended, until delivery.timeout.ms).
   * ListOffsets is answered by the partition itself, so its success means produce requests will be.
   */
  private boolean writable(Collection<TopicDescription> topics) throws InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
    for (TopicDescription d : topics) {
      for (TopicPartitionInfo p : d.partitions()) {
        partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
      }
    }
    try {
      admin().listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException) {
        return false; // not hosted yet
      }
      throw new LocalKafkaException("cannot read the offsets of " + partitions.keySet() + ": " + e.getCause(), e.getCause());
    }
  }

  private Admin admin() {
    synchronized (lock) {
      if (admin == null) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vaeguard-local-kafka");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        admin = Admin.create(p);
      }
      return admin;
    }
  }

  // ---------------------------------------------------------------- stop

  /**
   * Stops the broker: SIGTERM (Kafka shuts down cleanly), then after the stop timeout SIGKILL, for
   * the process and anything it started. Does nothing when it is not running.
   */
  public void stop() {
    ProcessHandle h;
    Process p;
    synchronized (lock) {
      h = handle;
      p = process;
      if (h == null) {
        return;
      }
      closeAdmin();
      if (shutdownHook != null) {
        shutdownHook.remove();
        shutdownHook = null;
      }
    }
    if (p == null && !isBrokerOf(h.pid(), workDir)) {
      // attached, and the pid ended or was reused by another program since: signal nothing
      synchronized (lock) {
        handle = null;
        deleteStateFileOf(h.pid());
      }
      return;
    }
    ProcessTree.stop(List.of(h), stopTimeout);
    synchronized (lock) {
      if (h.isAlive()) {
        throw new LocalKafkaException(
            "the Kafka broker (pid "
                + h.pid()
                + ") is still alive after SIGKILL; check `ps -p "
                + h.pid()
                + "`");
      }
      handle = null;
      process = null;
      deleteStateFileOf(h.pid());
    }
  }

  /**
   * Closes this handle's admin client and leaves the broker running: for a detached broker whose
   * starter is done with it ({@code vaeguard kafka start}). {@link #createTopics} and {@link
   * #stop()} still work afterwards.
   */
  public void release() {
    closeAdmin();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Kills at once (start failed); never throws. */
  private void destroyNow() {
    try {
      ProcessHandle h = handle;
      if (h != null) {
        ProcessTree.stop(List.of(h), Duration.ofSeconds(2));
      }
    } finally {
      closeAdmin();
      if (shutdownHook != null) {
        shutdownHook.remove();
        shutdownHook = null;
      }
      if (handle != null) {
        deleteStateFileOf(handle.pid());
      }
      handle = null;
      process = null;
    }
  }

  private void closeAdmin() {
    synchronized (lock) {
      if (admin != null) {
        admin.close(Duration.ofSeconds(2));
        admin = null;
      }
    }
  }

  private void deleteStateFileOf(long stoppedPid) {
    Path state = workDir.resolve(STATE_FILE);
    Properties p = StateFiles.read(state);
    if (p != null && Long.toString(stoppedPid).equals(p.getProperty("pid"))) {
      StateFiles.deleteQuietly(state);
    }
  }

  // ---------------------------------------------------------------- across processes

  /** What the work directory's state file says, checked against the live processes. */
  public static BrokerStatus status(Path workDir) {
    Path dir = workDir.toAbsolutePath().normalize();
    Path log = dir.resolve(LOG_FILE);
    Properties p = StateFiles.read(dir.resolve(STATE_FILE));
    if (p == null) {
      return new BrokerStatus(BrokerStatus.State.STOPPED, dir, -1, 0, 0, log);
    }
    long pid = StateFiles.parseLong(p.getProperty("pid"), -1);
    int port = (int) StateFiles.parseLong(p.getProperty("port"), 0);
    int controllerPort = (int) StateFiles.parseLong(p.getProperty("controllerPort"), 0);
    boolean ours = pid > 0 && isBrokerOf(pid, dir);
    return new BrokerStatus(
        ours ? BrokerStatus.State.RUNNING : BrokerStatus.State.STALE,
        dir,
        pid,
        port,
        controllerPort,
        log);
  }

  /**
   * A handle on the broker another process started in {@code workDir} (e.g. {@code vaeguard kafka
   * start}), to create topics or {@link #stop()} it; empty when none runs there. Stopping it only
   * signals the recorded pid, and only while that pid is the Kafka broker of this work directory.
   */
  public static Optional<LocalKafka> attach(Path workDir) {
    BrokerStatus s = status(workDir);
    if (!s.isRunning()) {
      return Optional.empty();
    }
    Optional<ProcessHandle> h = ProcessHandle.of(s.pid());
    if (h.isEmpty()) {
      return Optional.empty();
    }
    LocalKafka kafka = builder(workDir).detached(true).build();
    kafka.handle = h.get();
    kafka.pid = s.pid();
    kafka.port = s.port();
    kafka.controllerPort = s.controllerPort();
    return Optional.of(kafka);
  }

  /**
   * Whether {@code pid} is the broker JVM this class started in {@code workDir}: its command line
   * runs {@code kafka.Kafka} on that directory's {@code server.properties}. Guards against pids
   * reused by other programs after a crash.
   */
  static boolean isBrokerOf(long pid, Path workDir) {
    List<String> args = ProcessCommandLine.of(pid);
    String config = workDir.toAbsolutePath().normalize().resolve(CONFIG_FILE).toString();
    return args.contains(KAFKA_MAIN) && args.contains(config);
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
    return workDir.resolve(LOG_FILE);
  }

  public boolean isRunning() {
    ProcessHandle h = handle;
    return h != null && h.isAlive();
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

  // ---------------------------------------------------------------- ports

  /** Whether a listener could bind {@code 127.0.0.1:port} now. */
  public static boolean isPortFree(int port) {
    return LoopbackPorts.isFree(port);
  }

  private static int[] choosePorts(int wanted, int wantedController) {
    if (wanted != 0 && wanted == wantedController) {
      throw new LocalKafkaException(
          "port "
              + wanted
              + " was asked for both the client and the controller listener; give --port and"
              + " --controller-port different values");
    }
    if (wanted != 0 && !isPortFree(wanted)) {
      throw new LocalKafkaException(LoopbackPorts.inUse(wanted, "--port"));
    }
    if (wantedController != 0 && !isPortFree(wantedController)) {
      throw new LocalKafkaException(LoopbackPorts.inUse(wantedController, "--controller-port"));
    }
    // hold both ephemeral sockets at once so the two picks differ
    try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        ServerSocket b = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return new int[] {
        wanted != 0 ? wanted : a.getLocalPort(),
        wantedController != 0 ? wantedController : b.getLocalPort()
      };
    } catch (IOException e) {
      throw new LocalKafkaException("cannot find a free port on " + HOST + ": " + e, e);
    }
  }

  private static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 250);
      return true;
    } catch (IOException e) {
      return false;
    }
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
    return LOG_TAIL.of(logFile(), LOG_TAIL_LINES);
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

  public static final class Builder {
    private final Path workDir;
    private int port;
    private int controllerPort;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(20);
    private String maxHeap = "512m";
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final Map<String, Integer> storageFeatures = new LinkedHashMap<>();
    private boolean detached;

    private Builder(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
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

    /** How long {@link LocalKafka#start()} waits for the broker to answer; default 60 s. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Durations.requirePositive(timeout, "startupTimeout");
      return this;
    }

    /** How long {@link LocalKafka#stop()} waits after SIGTERM before SIGKILL; default 20 s. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Durations.requirePositive(timeout, "stopTimeout");
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

    /**
     * Keep the broker running when this JVM exits (for {@code vaeguard kafka start}): no shutdown
     * hook, no watch on this process. Default false: the broker ends with this JVM.
     */
    public Builder detached(boolean detached) {
      this.detached = detached;
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
