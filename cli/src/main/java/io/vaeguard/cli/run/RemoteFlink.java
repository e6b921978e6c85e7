package io.vaeguard.cli.run;

import io.vaeguard.cli.UserError;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.client.program.ProgramInvocationException;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobExceptionsHeaders;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo.JobVertexDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.JobExceptionsMessageParameters;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;

/**
 * The one way vaeguard submits a job to a running Flink cluster, for {@code vaeguard run
 * --jobmanager} and {@code vaeguard submit}: Flink's own client, as {@code flink run} does it. The
 * job's {@link StreamGraph} is built on this side, by this JVM's job code ({@link #submit(Consumer,
 * String, Path)}, {@code run}) or by the jar's main class ({@link #submitProgram}, {@code submit});
 * Flink's {@link RestClusterClient} sends it with the job jar to the JobManager's REST endpoint
 * (the dashboard's address); {@link #awaitRunning} follows the job by Flink's {@link JobStatus}.
 *
 * <p>Both commands share the flags {@value #JOBMANAGER_FLAG} and {@value #JOB_JAR_FLAG}, the job
 * jar's default ({@link #jobJar}) and its error when it is missing, and the lines printed on
 * success. Every failure the user can act on (a wrong address, no cluster there, a missing jar, a
 * bad job flag, a job that fails on the cluster) is a one-line {@link UserError}.
 */
public final class RemoteFlink implements AutoCloseable {

  public static final String JOBMANAGER_FLAG = "--jobmanager";
  public static final String JOB_JAR_FLAG = "--job-jar";

  /** The shaded job jar, relative to the installation ({@code vaeguard.home}). */
  public static final String DEFAULT_JOB_JAR = "pipeline/target/vaeguard-job.jar";

  /** The job jar's main class. */
  public static final String JOB_MAIN = "io.vaeguard.pipeline.job.VaeguardJobMain";

  /** How the job jar is built. */
  public static final String BUILD_JOB_JAR = "mvn -B -q -DskipTests -pl pipeline -am package";

  /** {@value #JOB_JAR_FLAG}'s help, the same in both commands: "the " + this. */
  public static final String JOB_JAR_HELP =
      "job jar to ship to the cluster (default: "
          + DEFAULT_JOB_JAR
          + " of this installation; build it with '"
          + BUILD_JOB_JAR
          + "').";

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** An 81 MB jar goes to the JobManager with the job: minutes over a slow link, not hours. */
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(5);

  private static final long POLL_MS = 250;

  private final String address;
  private final RestClusterClient<StandaloneClusterId> client;
  private final PrintWriter out;

  private RemoteFlink(
      String address, RestClusterClient<StandaloneClusterId> client, PrintWriter out) {
    this.address = address;
    this.client = client;
    this.out = out;
  }

  /**
   * A client of the cluster whose REST endpoint is {@code hostPort} ({@value #JOBMANAGER_FLAG});
   * nothing is sent yet. A value that is not {@code HOST:PORT} is a {@link UserError} naming the
   * flag.
   */
  public static RemoteFlink connect(String hostPort, PrintWriter out) {
    int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
    int port = -1;
    if (colon > 0) {
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (port <= 0 || port > 65535) {
      throw new UserError(
          JOBMANAGER_FLAG
              + ": '"
              + hostPort
              + "' is not HOST:PORT (the Flink REST endpoint, e.g. "
              + "127.0.0.1:8081)");
    }
    String host = hostPort.substring(0, colon);
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, host);
    conf.set(RestOptions.PORT, port);
    // A cluster that is not there should be one clear line within seconds, not a minute of retries.
    conf.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
    conf.set(RestOptions.RETRY_DELAY, Duration.ofSeconds(1));
    try {
      return new RemoteFlink(
          "http://" + host + ":" + port,
          new RestClusterClient<>(conf, StandaloneClusterId.getInstance()),
          out);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Flink's REST client for " + hostPort, e);
    }
  }

  /**
   * The job jar: {@code given} ({@value #JOB_JAR_FLAG}, or {@code flag} where the user spelled it
   * otherwise), else {@value #DEFAULT_JOB_JAR} of the installation. One that is not there is a
   * {@link UserError} naming the flag and, for the default, how to build it.
   */
  public static Path jobJar(Path given, String flag) {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw new UserError(flag + ": no job jar at " + given);
      }
      return given;
    }
    Path home = Path.of(System.getProperty("vaeguard.home", ".")).toAbsolutePath().normalize();
    Path jar = home.resolve(DEFAULT_JOB_JAR);
    if (!Files.isRegularFile(jar)) {
      throw new UserError(
          "no job jar at "
              + jar
              + ": build it with '"
              + BUILD_JOB_JAR
              + "' in "
              + home
              + " or name one with "
              + JOB_JAR_FLAG
              + " FILE");
    }
    return jar;
  }

  /** {@code http://HOST:PORT}. */
  public String address() {
    return address;
  }

  /** The dashboard's page of a job. */
  public String dashboard(JobID id) {
    return address + "/#/job/running/" + id + "/overview";
  }

  /**
   * Fails with a {@link UserError} saying how to start a cluster when nothing answers at the
   * address.
   */
  public void checkReachable() {
    await(client.getClusterOverview(), REQUEST_TIMEOUT, "GET /overview");
  }

  /**
   * Builds the job with {@code builder} on an environment of this JVM, names it and submits it with
   * {@code jobJar} for the TaskManagers' classpath.
   */
  public JobID submit(Consumer<StreamExecutionEnvironment> builder, String name, Path jobJar)
      throws Exception {
    try (StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration())) {
      builder.accept(env);
      StreamGraph graph = env.getStreamGraph();
      graph.setJobName(name);
      return submit(graph, List.of(url(jobJar)), List.of(), jobJar);
    }
  }

  /**
   * Runs {@code entryClass}'s main in {@code jobJar} here, on Flink's plan environment, as {@code
   * flink run} does: the job it builds is submitted with the jar. A bad job flag (the main's {@link
   * IllegalArgumentException}) or an entry class that is not in the jar is a {@link UserError}.
   *
   * <p>Unlike {@code flink run}'s, this JVM's classpath holds the job's libraries too (the
   * pipeline, the Kafka connector, kafka-clients, Avro): the jar's classes are loaded parent-first,
   * so that each class exists once here. Loaded child-first, the jar's kafka-clients met the
   * connector's from this classpath in one method signature (a LinkageError). What the jar has and
   * this JVM has not (another entry class) still comes from the jar; on the cluster the job runs on
   * the jar's classes.
   */
  public JobID submitProgram(Path jobJar, String entryClass, List<String> args) throws Exception {
    Configuration programConf = new Configuration();
    programConf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
    PackagedProgram program;
    try {
      program =
          PackagedProgram.newBuilder()
              .setJarFile(jobJar.toFile())
              .setEntryPointClassName(entryClass)
              .setArguments(args.toArray(String[]::new))
              .setConfiguration(programConf)
              .build();
    } catch (ProgramInvocationException e) {
      throw new UserError("cannot run " + entryClass + " from " + jobJar + ": " + e.getMessage());
    }
    try (program) {
      Pipeline pipeline;
      try {
        Configuration jobConf = new Configuration();
        pipeline =
            PackagedProgramUtils.getPipelineFromProgram(
                program, jobConf, jobConf.get(CoreOptions.DEFAULT_PARALLELISM), false);
      } catch (ProgramInvocationException e) {
        if (e.getCause() == null) {
          // Flink's "the program aborted pre-maturely": main returned without executing a job (e.g.
          // --help)
          throw new UserError(
              entryClass
                  + " in "
                  + jobJar
                  + " submitted no job: its main returned without "
                  + "executing one");
        }
        throw userErrorOr(e);
      }
      if (!(pipeline instanceof StreamGraph graph)) {
        throw new UserError(entryClass + " in " + jobJar + " submitted no streaming job");
      }
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(program.getUserCodeClassLoader());
      try {
        graph.setSavepointRestoreSettings(program.getSavepointSettings());
        return submit(graph, program.getJobJarAndDependencies(), program.getClasspaths(), jobJar);
      } finally {
        Thread.currentThread().setContextClassLoader(context);
      }
    }
  }

  /**
   * The one submission: the graph and its jars to the cluster; prints the job id and its dashboard
   * page.
   */
  private JobID submit(StreamGraph graph, List<URL> jars, List<URL> classpaths, Path jobJar)
      throws Exception {
    graph.addJars(jars);
    graph.setClasspath(classpaths);
    graph.serializeUserDefinedInstances();
    JobID id = await(client.submitJob(graph), SUBMIT_TIMEOUT, "submit " + graph.getJobName());
    out.println(
        "Submitted job '"
            + graph.getJobName()
            + "' as "
            + id
            + " to "
            + address
            + " with "
            + jobJar);
    out.println("Flink dashboard: " + dashboard(id));
    out.flush();
    return id;
  }

  /** Where the job is on its way to running: every task running, not yet, or over for good. */
  public enum Progress {
    RUNNING,
    WAITING,
    OVER
  }

  /**
   * {@link Progress#OVER} for Flink's globally terminal states (FAILED, CANCELED, FINISHED) only: a
   * SUSPENDED job is taken over by another JobManager and goes on; {@link Progress#RUNNING} when
   * the job is RUNNING and so is every task of every vertex (not just scheduled or deploying).
   */
  public static Progress progress(JobStatus status, Collection<JobVertexDetailsInfo> vertices) {
    if (status.isGloballyTerminalState()) {
      return Progress.OVER;
    }
    if (status != JobStatus.RUNNING) {
      return Progress.WAITING;
    }
    for (JobVertexDetailsInfo v : vertices) {
      if (v.getTasksPerState().getOrDefault(ExecutionState.RUNNING, 0) != v.getParallelism()) {
        return Progress.WAITING;
      }
    }
    return Progress.RUNNING;
  }

  /**
   * Waits until the job and every one of its tasks run and prints how long that took; a job that
   * ends first, or does not run in time, is a {@link UserError} with its last failure.
   */
  public void awaitRunning(JobID id, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      JobDetailsInfo job = await(client.getJobDetails(id), REQUEST_TIMEOUT, "GET /jobs/" + id);
      Progress p = progress(job.getJobStatus(), job.getJobVertexInfos());
      if (p == Progress.RUNNING) {
        out.printf(
            "Job %s: every task RUNNING %.1f s after its submission%n",
            id, (System.nanoTime() - start) / 1e9);
        out.flush();
        return;
      }
      if (p == Progress.OVER) {
        throw new UserError("job " + id + " is " + job.getJobStatus() + lastFailure(id));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new UserError(
            "job "
                + id
                + " did not have every task RUNNING within "
                + timeout.toSeconds()
                + " s (it is "
                + job.getJobStatus()
                + ")"
                + lastFailure(id)
                + "; see "
                + dashboard(id));
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while waiting for job " + id);
      }
    }
  }

  /** "; last failure: ..." from the job's exception history, or nothing. */
  private String lastFailure(JobID id) {
    JobExceptionsMessageParameters params =
        JobExceptionsHeaders.getInstance().getUnresolvedMessageParameters();
    params.jobPathParameter.resolve(id);
    try {
      JobExceptionsInfoWithHistory exceptions =
          client
              .sendRequest(
                  JobExceptionsHeaders.getInstance(), params, EmptyRequestBody.getInstance())
              .get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      var entries = exceptions.getExceptionHistory().getEntries();
      if (!entries.isEmpty()) {
        return "; last failure: "
            + innermostCause(entries.get(0).getStacktrace(), entries.get(0).getExceptionName());
      }
    } catch (Exception e) {
      // the message is good without it
    }
    return "";
  }

  /**
   * The innermost "Caused by" of a stack trace as text, else its first line, else {@code fallback}.
   */
  static String innermostCause(String stackTrace, String fallback) {
    if (stackTrace == null || stackTrace.isBlank()) {
      return fallback;
    }
    String cause = null;
    for (String line : stackTrace.split("\\R")) {
      String l = line.strip();
      if (l.startsWith("Caused by: ")) {
        cause = l.substring("Caused by: ".length());
      }
    }
    return cause != null ? cause : stackTrace.strip().lines().findFirst().orElse(fallback);
  }

  private <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while talking to " + address);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new UserError(
          "the Flink REST API at "
              + address
              + " did not answer '"
              + what
              + "' within "
              + timeout.toSeconds()
              + " s");
    } catch (ExecutionException e) {
      if (ExceptionUtils.findThrowable(e, ConnectException.class).isPresent()
          || ExceptionUtils.findThrowable(e, UnknownHostException.class).isPresent()) {
        throw new UserError(
            "no Flink REST API answers at "
                + address
                + " ("
                + JOBMANAGER_FLAG
                + "): start a cluster "
                + "with `vaeguard cluster start` or give the JobManager's address with "
                + JOBMANAGER_FLAG
                + " HOST:PORT");
      }
      throw new UserError(what + " at " + address + " failed: " + innermostMessage(e));
    }
  }

  /** A bad job flag is the main's IllegalArgumentException: its message names the flag. */
  private static RuntimeException userErrorOr(ProgramInvocationException e) {
    for (Throwable c = e; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof IllegalArgumentException
          || c instanceof UncheckedIOException
          || c instanceof UserError) {
        return new UserError(c.getMessage());
      }
    }
    return new IllegalStateException(e.getMessage(), e);
  }

  /**
   * The last message down a cause chain; for Flink's REST errors, the server's innermost "Caused
   * by".
   */
  static String innermostMessage(Throwable t) {
    String message = t.toString();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        message = c.getMessage();
      }
    }
    return innermostCause(message, message).replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static URL url(Path jar) {
    try {
      return jar.toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(jar + " is not a file path", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "RemoteFlink[" + address + "]";
  }
}
