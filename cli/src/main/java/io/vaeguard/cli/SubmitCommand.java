package io.vaeguard.cli;

import io.vaeguard.cluster.FlinkClusterException;
import io.vaeguard.cluster.FlinkRestClient;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code vaeguard submit}: the shaded job jar to a Flink cluster over its REST API. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit the streaming job to a Flink cluster over its REST API.",
      "",
      "Uploads the shaded job jar, runs it and waits until every task runs. Every flag this command does not",
      "know goes to the job, e.g.",
      "  vaeguard submit --bootstrap-servers 127.0.0.1:9092 --input-topic observations --parallelism 2",
      "  --model-dir classpath:models/default (the default model packed in the jar; a directory must exist",
      "  on every TaskManager). The job's flags are those of 'vaeguard run'."
    })
final class SubmitCommand implements Callable<Integer> {

  static final String JOB_JAR = "pipeline/target/vaeguard-job.jar";
  static final String JOB_MAIN = "io.vaeguard.pipeline.job.VaeguardJobMain";
  static final String BUILD = "mvn -B -q -DskipTests -pl pipeline -am package";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--jobmanager", defaultValue = "127.0.0.1:8081", paramLabel = "HOST:PORT",
      description = "REST address of the JobManager (default: ${DEFAULT-VALUE}).")
  String jobManager;

  @Option(names = "--jar", paramLabel = "FILE",
      description = "The shaded job jar (default: " + JOB_JAR + " of this checkout, built with Maven when missing).")
  Path jar;

  @Option(names = "--entry-class", defaultValue = JOB_MAIN, paramLabel = "CLASS",
      description = "Main class in the jar (default: ${DEFAULT-VALUE}).")
  String entryClass;

  @Option(names = "--wait-seconds", defaultValue = "120", paramLabel = "S",
      description = "How long to wait for every task of the job to run; 0 returns after the submission (default: ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Unmatched
  List<String> jobArgs = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FlinkRestClient rest = FlinkRestClient.forAddress(jobManager);
    Path jobJar = jar != null ? jar : defaultJar();
    List<String> args = jobArgs.stream().filter(a -> !a.equals("--")).toList();
    try {
      if (!rest.isUp()) {
        rest.overview(); // throws with the explanation
      }
      String jobId = rest.submit(jobJar, entryClass, args);
      out.println("submitted job " + jobId + " to " + rest.baseUri());
      if (waitSeconds > 0) {
        rest.awaitRunning(jobId, Duration.ofSeconds(waitSeconds));
        out.println("job " + jobId + " is RUNNING; dashboard " + rest.baseUri() + "/#/job/running/" + jobId + "/overview");
      }
      return 0;
    } catch (FlinkClusterException e) {
      throw ClusterCommand.userError(e);
    }
  }

  /** The checkout's job jar; built with Maven when it is missing and Maven is on the PATH. */
  private Path defaultJar() {
    Path home = Path.of(System.getProperty("vaeguard.home", ".")).toAbsolutePath().normalize();
    Path jobJar = home.resolve(JOB_JAR);
    if (Files.isRegularFile(jobJar)) {
      return jobJar;
    }
    Optional<Path> mvn = onPath("mvn");
    if (mvn.isEmpty() || !Files.isRegularFile(home.resolve("pom.xml"))) {
      throw new UserError("the job jar " + jobJar + " is missing: build it with `" + BUILD + "` in " + home
          + " (or give one with --jar)");
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("submit: building the job jar (" + BUILD + ") ...");
    err.flush();
    List<String> cmd = new ArrayList<>(List.of(mvn.get().toString()));
    cmd.addAll(List.of(BUILD.substring("mvn ".length()).split(" ")));
    cmd.add("-Dstyle.color=never");
    try {
      Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      try (InputStream in = p.getInputStream()) {
        err.print(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
      if (p.waitFor() != 0 || !Files.isRegularFile(jobJar)) {
        throw new UserError("building the job jar failed; run `" + BUILD + "` in " + home + " to see why");
      }
    } catch (IOException e) {
      throw new UserError("cannot run Maven to build the job jar: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while building the job jar");
    }
    return jobJar;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
