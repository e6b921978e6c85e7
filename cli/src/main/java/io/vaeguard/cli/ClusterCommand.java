package io.vaeguard.cli;

import io.vaeguard.cluster.ClusterStatus;
import io.vaeguard.cluster.FlinkClusterException;
import io.vaeguard.cluster.FlinkStandaloneCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaeguard cluster start|stop|status}: a Flink standalone session cluster on this machine.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Start, stop or check a Flink standalone cluster on this machine.",
      "",
      "A real Flink session cluster: a JobManager and TaskManagers as separate JVMs from Flink's Maven Central",
      "jars, bound to 127.0.0.1, configured from flink-conf/config.yaml. Submit the job to it with 'vaeguard submit'."
    },
    subcommands = {
      ClusterCommand.Start.class,
      ClusterCommand.Stop.class,
      ClusterCommand.Status.class
    })
final class ClusterCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A cluster failure the user can act on: its first line (the rest is a log tail, named in it).
   */
  static UserError userError(FlinkClusterException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return new UserError(nl < 0 ? m : m.substring(0, nl).replaceAll("[:,]\\s*last lines:?$", ""));
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Start a JobManager and TaskManagers, wait until the REST API answers and every TaskManager is",
        "registered, and leave them running (stop them with 'vaeguard cluster stop')."
      })
  static final class Start implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--taskmanagers",
        defaultValue = "2",
        paramLabel = "N",
        description =
            "TaskManagers to start (default: ${DEFAULT-VALUE}); slots per TaskManager come from config.yaml.")
    int taskManagers;

    @Option(
        names = "--web-port",
        defaultValue = "8081",
        paramLabel = "PORT",
        description =
            "Port of the REST API and web dashboard on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int webPort;

    @Option(
        names = "--rpc-port",
        paramLabel = "PORT",
        description =
            "JobManager RPC port (default: jobmanager.rpc.port of config.yaml, 6123; 0 picks a free one).")
    Integer rpcPort;

    @Option(
        names = "--dir",
        defaultValue = "work/flink",
        paramLabel = "DIR",
        description =
            "Work directory: configuration, logs, PID files, checkpoints (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
        names = "--conf",
        paramLabel = "DIR",
        description =
            "Directory with config.yaml and log4j.properties (default: the repository's flink-conf/).")
    Path conf;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      FlinkStandaloneCluster.Builder b =
          FlinkStandaloneCluster.builder(dir)
              .taskManagers(taskManagers)
              .restPort(webPort)
              .detached(true);
      if (rpcPort != null) {
        b.rpcPort(rpcPort);
      }
      if (conf != null) {
        b.confDir(conf);
      }
      FlinkStandaloneCluster c;
      try {
        c = b.start();
      } catch (FlinkClusterException e) {
        throw userError(e);
      }
      ClusterStatus s = FlinkStandaloneCluster.status(c.workDir());
      out.printf(
          "Flink cluster running: dashboard %s (REST up after %.1f s, %d TaskManager(s) registered after %.1f s)%n",
          c.restUrl(),
          c.restReadyAfter().toMillis() / 1e3,
          taskManagers,
          c.taskManagersReadyAfter().toMillis() / 1e3);
      out.printf(
          "  jobmanager pid %d, %s; logs in %s%n",
          c.jobManagerPid(),
          s.taskManagers().stream()
              .map(t -> t.name() + " pid " + t.pid())
              .collect(Collectors.joining(", ")),
          c.workDir().resolve("log"));
      out.printf(
          "  submit the job: vaeguard submit --jobmanager 127.0.0.1:%d --bootstrap-servers HOST:PORT ...%n",
          c.restPort());
      out.printf(
          "  stop it: vaeguard cluster stop%s%n",
          dir.equals(Path.of("work/flink")) ? "" : " --dir " + dir);
      return 0;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description =
          "Stop the JobManager and TaskManagers started in the work directory (and nothing else).")
  static final class Stop implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--dir",
        defaultValue = "work/flink",
        paramLabel = "DIR",
        description = "Work directory of the cluster (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<FlinkStandaloneCluster> c = FlinkStandaloneCluster.attach(dir);
      if (c.isEmpty()) {
        out.println("no Flink cluster running in " + dir.toAbsolutePath().normalize());
        return 0;
      }
      ClusterStatus before = FlinkStandaloneCluster.status(dir);
      try {
        c.get().stop();
      } catch (FlinkClusterException e) {
        throw userError(e);
      }
      out.println(
          "stopped the Flink cluster in "
              + dir.toAbsolutePath().normalize()
              + " ("
              + (before.jobManager() != null && before.jobManager().running()
                  ? "jobmanager and "
                  : "")
              + before.runningTaskManagers()
              + " TaskManager(s))");
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Whether the cluster recorded in the work directory runs: its processes, dashboard and logs.",
        "Exit code 0 when its JobManager runs, 3 when it does not."
      })
  static final class Status implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--dir",
        defaultValue = "work/flink",
        paramLabel = "DIR",
        description = "Work directory of the cluster (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
      ClusterStatus s = FlinkStandaloneCluster.status(dir);
      spec.commandLine().getOut().println(s.describe());
      return s.jobManager() != null && s.jobManager().running() ? 0 : 3;
    }
  }
}
