package io.vaeguard.cli;

import io.vaeguard.cli.live.KafkaClients;
import io.vaeguard.local.kafka.BrokerStatus;
import io.vaeguard.local.kafka.LocalKafka;
import io.vaeguard.local.kafka.LocalKafkaException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaeguard kafka start|stop|status|topics}: a local single-node KRaft broker ({@link
 * LocalKafka}) that outlives the command, found again through the state file in its work directory.
 */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = {
      "A local Kafka broker (KRaft, one node, 127.0.0.1 only) that keeps running after the command.",
      "",
      "It runs in its own JVM from the Kafka jars Maven fetched. Its data, log and state file live in the work"
          + " directory, which is how status, stop and topics find it again."
    },
    subcommands = {
      KafkaCommand.Start.class,
      KafkaCommand.Stop.class,
      KafkaCommand.Status.class,
      KafkaCommand.Topics.class
    })
final class KafkaCommand implements Runnable {

  /** Exit code of {@code kafka status} when no broker runs. */
  static final int EXIT_STOPPED = 3;

  /** The topics of the demo, for {@code --topics} in the help and the README. */
  static final String DEMO_TOPICS = "observations,alerts,dead-letters,scores";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code --dir}, shared by the sub-verbs. */
  static final class WorkDir {
    static final String ENV = "VAEGUARD_WORK";

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "The broker's work directory: data, broker.log, state file (default: $VAEGUARD_WORK/kafka if"
                + " VAEGUARD_WORK is set, else work/kafka under the current directory).")
    Path dir;

    Path resolve() {
      if (dir != null) {
        return dir.toAbsolutePath().normalize();
      }
      String work = System.getenv(ENV);
      Path base = work == null || work.isBlank() ? Path.of("work") : Path.of(work);
      return base.resolve("kafka").toAbsolutePath().normalize();
    }

    /** {@code " --dir DIR"} when the user gave one, for the commands we suggest. */
    String flagForHint() {
      return dir == null ? "" : " --dir " + dir;
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Start the broker and return once it answers; prints its bootstrap address.",
        "Says so, and where, when one already runs in the work directory."
      })
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WorkDir workDir;

    @Option(
        names = "--port",
        defaultValue = "9092",
        description = "Client port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--controller-port",
        defaultValue = "0",
        description =
            "KRaft controller port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(
        names = "--topics",
        split = ",",
        paramLabel = "T1,T2",
        description = "Topics to create once it runs, e.g. " + DEMO_TOPICS + " for the demo.")
    List<String> topics = new ArrayList<>();

    @Option(
        names = "--partitions",
        defaultValue = "1",
        description = "Partitions of each topic from --topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
        names = "--heap",
        defaultValue = "512m",
        description = "The broker JVM's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = workDir.resolve();
      checkPartitions(partitions);
      BrokerStatus status = LocalKafka.status(dir);
      LocalKafka kafka;
      if (status.isRunning()) {
        out.println(
            "Kafka is already running at "
                + status.bootstrapServers()
                + " pid "
                + status.pid()
                + " (work dir "
                + dir
                + ")");
        kafka =
            LocalKafka.attach(dir)
                .orElseThrow(
                    () ->
                        new UserError(
                            "the Kafka broker in "
                                + dir
                                + " stopped while it was being checked; run 'vaeguard kafka start"
                                + workDir.flagForHint()
                                + "' again"));
      } else {
        try {
          kafka =
              LocalKafka.builder(dir)
                  .port(port)
                  .controllerPort(controllerPort)
                  .maxHeap(heap)
                  .detached(true)
                  .start();
        } catch (LocalKafkaException e) {
          throw new UserError(e.getMessage());
        }
        out.println(
            "Kafka running at "
                + kafka.bootstrapServers()
                + " pid "
                + kafka.pid()
                + " (work dir "
                + dir
                + ", log "
                + kafka.logFile()
                + "); stop it with 'vaeguard kafka stop"
                + workDir.flagForHint()
                + "'");
      }
      try {
        createTopics(kafka, partitions, topics, out);
      } finally {
        kafka.release();
      }
      return 0;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop the broker this work directory's state file records (only that process).")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WorkDir workDir;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = workDir.resolve();
      Optional<LocalKafka> kafka = LocalKafka.attach(dir);
      if (kafka.isEmpty()) {
        out.println("Kafka is not running (work dir " + dir + ")");
        return 0;
      }
      LocalKafka k = kafka.get();
      try {
        k.stop();
      } catch (LocalKafkaException e) {
        throw new UserError(e.getMessage());
      }
      out.println("stopped Kafka at " + k.bootstrapServers() + " pid " + k.pid());
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "One line: running at 127.0.0.1:PORT pid N, or stopped.",
        "Exit code 0 when it runs, " + EXIT_STOPPED + " when it does not."
      })
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WorkDir workDir;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = workDir.resolve();
      BrokerStatus s = LocalKafka.status(dir);
      switch (s.state()) {
        case RUNNING -> {
          out.println(
              "running at " + s.bootstrapServers() + " pid " + s.pid() + " (work dir " + dir + ")");
          return 0;
        }
        case STALE ->
            out.println(
                "stopped (pid "
                    + s.pid()
                    + " recorded in "
                    + dir
                    + " is no longer its Kafka broker; see "
                    + s.logFile()
                    + ")");
        default -> out.println("stopped (no broker in " + dir + ")");
      }
      return EXIT_STOPPED;
    }
  }

  @Command(
      name = "topics",
      mixinStandardHelpOptions = true,
      description = {
        "Create topics on the running broker, or list its topics without --create.",
        "Topics that exist already are left as they are."
      })
  static final class Topics implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WorkDir workDir;

    @Option(
        names = "--create",
        split = ",",
        paramLabel = "T1,T2",
        description = "Topics to create, e.g. " + DEMO_TOPICS + ".")
    List<String> create = new ArrayList<>();

    @Option(
        names = "--partitions",
        defaultValue = "1",
        description = "Partitions of each new topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = workDir.resolve();
      checkPartitions(partitions);
      LocalKafka kafka =
          LocalKafka.attach(dir)
              .orElseThrow(
                  () ->
                      new UserError(
                          "no Kafka broker is running in "
                              + dir
                              + "; start one with 'vaeguard kafka start"
                              + workDir.flagForHint()
                              + "'"));
      try {
        if (!create.isEmpty()) {
          createTopics(kafka, partitions, create, out);
        } else {
          listTopics(kafka.bootstrapServers()).forEach(out::println);
        }
      } finally {
        kafka.release();
      }
      return 0;
    }
  }

  private static void checkPartitions(int partitions) {
    if (partitions < 1) {
      throw new UserError("--partitions must be at least 1, got " + partitions);
    }
  }

  private static void createTopics(
      LocalKafka kafka, int partitions, List<String> topics, PrintWriter out) {
    List<String> names =
        topics.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
    if (names.isEmpty()) {
      return;
    }
    try {
      kafka.createTopics(partitions, names.toArray(String[]::new));
    } catch (LocalKafkaException e) {
      throw new UserError(e.getMessage());
    }
    out.println("topics ready: " + String.join(", ", names));
  }

  private static List<String> listTopics(String bootstrapServers) {
    try (Admin a = Admin.create(KafkaClients.admin(bootstrapServers, "vaeguard-kafka-topics"))) {
      return a
          .listTopics()
          .names()
          .get(KafkaClients.CONNECT_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS)
          .stream()
          .sorted()
          .toList();
    } catch (ExecutionException | TimeoutException e) {
      throw new UserError(
          "cannot list the topics of the broker at "
              + bootstrapServers
              + ": "
              + (e instanceof TimeoutException ? "no answer" : e.getCause().getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while listing topics");
    }
  }
}
