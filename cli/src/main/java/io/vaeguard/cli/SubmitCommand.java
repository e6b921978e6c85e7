package io.vaeguard.cli;

import io.vaeguard.cli.run.RemoteFlink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code vaeguard submit}: the job jar's main class run here on Flink's plan environment and the
 * job it builds submitted to a cluster, through {@link RemoteFlink} like {@code vaeguard run
 * --jobmanager}.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit the streaming job to a running Flink cluster through its REST",
      "endpoint, as 'flink run' does: the job jar's main class runs here with every",
      "flag this command does not know, the job it builds goes to the cluster with",
      "the jar, and the command waits until every task runs. For example",
      "  vaeguard submit --bootstrap-servers 127.0.0.1:9092 \\",
      "    --input-topic observations --parallelism 2",
      "The job's flags are those of 'vaeguard run'; without --model-dir the job",
      "serves the default model packed in the jar (a model directory must exist",
      "on every TaskManager). 'vaeguard run --jobmanager' submits the same way,",
      "with the same " + RemoteFlink.JOBMANAGER_FLAG + " and " + RemoteFlink.JOB_JAR_FLAG + ".",
      ""
    })
final class SubmitCommand implements Callable<Integer> {

  /** The flag's old spelling in this command, kept for scripts: hidden, and a warning when used. */
  static final String DEPRECATED_JAR_FLAG = "--jar";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = RemoteFlink.JOBMANAGER_FLAG,
      defaultValue = "127.0.0.1:8081",
      paramLabel = "HOST:PORT",
      description =
          "REST endpoint of the Flink cluster, the dashboard's address (default: ${DEFAULT-VALUE}).")
  String jobManager;

  @Option(
      names = RemoteFlink.JOB_JAR_FLAG,
      paramLabel = "FILE",
      description =
          "The "
              + RemoteFlink.JOB_JAR_HELP
              + " Its old spelling "
              + DEPRECATED_JAR_FLAG
              + " still works but is deprecated.")
  Path jobJar;

  @Option(names = DEPRECATED_JAR_FLAG, paramLabel = "FILE", hidden = true)
  Path deprecatedJar;

  @Option(
      names = "--entry-class",
      defaultValue = RemoteFlink.JOB_MAIN,
      paramLabel = "CLASS",
      description = "Main class in the jar (default: ${DEFAULT-VALUE}).")
  String entryClass;

  @Option(
      names = "--wait-seconds",
      defaultValue = "120",
      paramLabel = "S",
      description =
          "How long to wait for every task of the job to run; 0 returns after the submission (default: ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Unmatched List<String> jobArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path jar = jobJar();
    if (waitSeconds < 0) {
      throw new UserError(
          "--wait-seconds: " + waitSeconds + " is negative (0 returns after the submission)");
    }
    List<String> args = jobArgs.stream().filter(a -> !a.equals("--")).toList();
    try (RemoteFlink flink = RemoteFlink.connect(jobManager, spec.commandLine().getOut())) {
      flink.checkReachable();
      JobID id = flink.submitProgram(jar, entryClass, args);
      if (waitSeconds > 0) {
        flink.awaitRunning(id, Duration.ofSeconds(waitSeconds));
      }
    }
    return 0;
  }

  /**
   * {@value RemoteFlink#JOB_JAR_FLAG}, or its deprecated spelling with a warning, or the default.
   */
  private Path jobJar() {
    if (deprecatedJar == null) {
      return RemoteFlink.jobJar(jobJar, RemoteFlink.JOB_JAR_FLAG);
    }
    if (jobJar != null) {
      throw new UserError(
          DEPRECATED_JAR_FLAG
              + " is the old spelling of "
              + RemoteFlink.JOB_JAR_FLAG
              + ": give one of them");
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "submit: "
            + DEPRECATED_JAR_FLAG
            + " is deprecated, use "
            + RemoteFlink.JOB_JAR_FLAG
            + " (the same flag as in "
            + "'vaeguard run --jobmanager')");
    err.flush();
    return RemoteFlink.jobJar(deprecatedJar, DEPRECATED_JAR_FLAG);
  }
}
