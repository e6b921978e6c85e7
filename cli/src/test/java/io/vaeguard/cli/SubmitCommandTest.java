package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.job.LoopbackMiniCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vaeguard submit} and {@code vaeguard run --jobmanager}: one set of flags, one message for
 * a missing jar or a missing cluster, and the submission itself against a real Flink REST endpoint
 * (a MiniCluster in this JVM) with a small job jar ({@link TinyJob}). The vaeguard job on a
 * standalone cluster with a broker is vaeguard-cluster's ClusterFailoverITCase.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SubmitCommandTest {

  private static final Pattern JOB_ID = Pattern.compile("as ([0-9a-f]{32}) to ");

  @TempDir static Path work;
  static Path tinyJar;
  static MiniCluster flink;
  static String address;

  @BeforeAll
  static void start() throws Exception {
    tinyJar = tinyJobJar(work);
    Configuration conf = LoopbackMiniCluster.configuration(0, 4);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
    // The cluster shares this JVM, whose classpath holds vaeguard's classes too: parent-first, the
    // shaded jar's copies of them are not loaded beside these (a real cluster has only Flink's
    // jars).
    conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
    // Jobs come and go in this one JVM: a Kafka client class initialised under one job's (closed)
    // class
    // loader would fail the next job's Kafka source, which only a real cluster's fresh TaskManagers
    // avoid.
    conf.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    flink = LoopbackMiniCluster.create(conf, 4);
    flink.start();
    address = "127.0.0.1:" + flink.getRestAddress().get().getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (flink != null) {
      flink.close();
    }
  }

  // ---------------------------------------------------------------- flags

  @Test
  void helpShowsJobJarAndSaysTheOldSpellingIsDeprecated() {
    for (String verb : List.of("submit", "run")) {
      CliRun r = CliRun.of(verb, "--help");

      assertThat(r.exitCode()).as(r.toString()).isZero();
      String help = r.out().replaceAll("\\s+", " ");
      assertThat(help)
          .as(verb)
          .contains("--jobmanager=HOST:PORT", "--job-jar=FILE")
          .doesNotContain("--jar=FILE");
      assertThat(r.out().replaceAll("\\s+", ""))
          .as(verb)
          .contains("shiptothecluster(default:pipeline/target/vaeguard-job.jar");
    }
    assertThat(CliRun.of("submit", "--help").out().replaceAll("\\s+", " "))
        .contains("Its old spelling --jar still works but is deprecated");
  }

  @Test
  void theOldJarFlagStillNamesTheJarWithAWarning() {
    int port = freePort();

    CliRun r =
        CliRun.of(
            "submit", "--jobmanager", "127.0.0.1:" + port, "--jar", tinyJar, "--input-topic", "x");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(2);
    assertThat(r.errLines().get(0))
        .isEqualTo(
            "submit: --jar is deprecated, use --job-jar (the same flag as in "
                + "'vaeguard run --jobmanager')");
    assertThat(r.errLines().get(1))
        .startsWith("submit: no Flink REST API answers at http://127.0.0.1:" + port);
  }

  @Test
  void bothSpellingsOfTheJarFlagAtOnceAreAMistake() {
    CliRun r = CliRun.of("submit", "--jar", tinyJar, "--job-jar", tinyJar);

    assertUserError(r, "submit: ", "--jar is the old spelling of --job-jar");
  }

  @Test
  void aMissingJarIsTheSameErrorNamingTheFlagInBothCommands(@TempDir Path dir) {
    Path missing = dir.resolve("nope.jar");

    assertUserError(
        CliRun.of("submit", "--job-jar", missing), "submit: --job-jar: no job jar at " + missing);
    assertUserError(
        CliRun.of("run", "--jobmanager", address, "--job-jar", missing),
        "run: --job-jar: no job jar at " + missing);
    CliRun old = CliRun.of("submit", "--jar", missing);
    assertThat(old.exitCode()).as(old.toString()).isEqualTo(2);
    assertThat(old.errLines())
        .as(old.toString())
        .containsExactly(
            "submit: --jar is deprecated, use --job-jar (the same "
                + "flag as in 'vaeguard run --jobmanager')",
            "submit: --jar: no job jar at " + missing);
  }

  @Test
  void aMissingDefaultJarSaysHowToBuildItInBothCommands(@TempDir Path home) {
    String before = System.getProperty("vaeguard.home");
    System.setProperty("vaeguard.home", home.toString());
    try {
      String expected =
          ": no job jar at "
              + home.resolve("pipeline/target/vaeguard-job.jar")
              + ": build it with 'mvn -B -q -DskipTests -pl pipeline -am package' in "
              + home
              + " or name one with --job-jar FILE";
      assertUserError(CliRun.of("submit", "--jobmanager", address), "submit" + expected);
      assertUserError(CliRun.of("run", "--jobmanager", address), "run" + expected);
    } finally {
      if (before == null) {
        System.clearProperty("vaeguard.home");
      } else {
        System.setProperty("vaeguard.home", before);
      }
    }
  }

  @Test
  void submitWithoutAClusterSaysHowToStartOne() {
    int port = freePort();

    CliRun r =
        CliRun.of(
            "submit",
            "--jobmanager",
            "127.0.0.1:" + port,
            "--job-jar",
            tinyJar,
            "--input-topic",
            "x");

    assertUserError(
        r,
        "submit: no Flink REST API answers at http://127.0.0.1:" + port,
        "vaeguard cluster start",
        "--jobmanager");
  }

  @Test
  void runWithoutAClusterSaysTheSame() {
    int port = freePort();

    CliRun r = CliRun.of("run", "--jobmanager", "127.0.0.1:" + port, "--job-jar", tinyJar);

    assertUserError(
        r,
        "run: no Flink REST API answers at http://127.0.0.1:" + port,
        "vaeguard cluster start",
        "--jobmanager");
  }

  @Test
  void aJobManagerThatIsNotHostAndPortNamesTheFlag() {
    assertUserError(
        CliRun.of("submit", "--jobmanager", "localhost", "--job-jar", tinyJar),
        "submit: --jobmanager: 'localhost' is not HOST:PORT");
  }

  // ---------------------------------------------------------------- against a Flink REST endpoint

  @Test
  void submitRunsTheJarsMainWithEveryOtherFlagAndWaitsUntilEveryTaskRuns() throws Exception {
    CliRun r =
        CliRun.of(
            "submit",
            "--jobmanager",
            address,
            "--job-jar",
            tinyJar,
            "--entry-class",
            TinyJob.class.getName(),
            "--wait-seconds",
            "60",
            "--input-topic",
            "observations",
            "--parallelism=2");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JobID id = jobId(r);
    try {
      assertThat(r.out())
          .contains(
              "Submitted job 'tiny --input-topic observations --parallelism=2' as "
                  + id
                  + " to http://"
                  + address
                  + " with "
                  + tinyJar)
          .contains("Flink dashboard: http://" + address + "/#/job/running/" + id + "/overview")
          .contains("Job " + id + ": every task RUNNING");
      assertThat(flink.getJobStatus(id).get()).isEqualTo(JobStatus.RUNNING);
      assertThat(flink.listJobs().get())
          .filteredOn(j -> j.getJobId().equals(id))
          .singleElement()
          .extracting(JobStatusMessage::getJobName)
          .isEqualTo("tiny --input-topic observations --parallelism=2");
    } finally {
      cancel(id);
    }
  }

  @Test
  void aJobThatFailsOnTheClusterIsOneLineWithItsCause() throws Exception {
    CliRun r =
        CliRun.of(
            "submit",
            "--jobmanager",
            address,
            "--job-jar",
            tinyJar,
            "--entry-class",
            TinyJob.class.getName(),
            "--wait-seconds",
            "60",
            "--fail");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    JobID id = jobId(r);
    assertThat(r.errLines())
        .as(r.toString())
        .singleElement()
        .asString()
        .startsWith("submit: job " + id + " is FAILED; last failure: ")
        .contains("boom: this task was told to fail");
  }

  @Test
  void aBadJobFlagFailsHereBeforeAnythingIsSubmitted() throws Exception {
    int jobsBefore = flink.listJobs().get().size();

    CliRun r =
        CliRun.of(
            "submit",
            "--jobmanager",
            address,
            "--job-jar",
            tinyJar,
            "--entry-class",
            TinyJob.class.getName(),
            "--bad-flag");

    assertUserError(r, "submit: --bad-flag: not a flag of this job");
    assertThat(flink.listJobs().get()).hasSize(jobsBefore);
  }

  @Test
  void aMainThatBuildsNoJobIsOneLine() {
    CliRun r =
        CliRun.of(
            "submit",
            "--jobmanager",
            address,
            "--job-jar",
            tinyJar,
            "--entry-class",
            TinyJob.class.getName(),
            "--",
            "--help");

    assertUserError(
        r, "submit: " + TinyJob.class.getName() + " in " + tinyJar + " submitted no job");
  }

  @Test
  void anEntryClassThatIsNotInTheJarIsOneLine() {
    CliRun r =
        CliRun.of(
            "submit",
            "--jobmanager",
            address,
            "--job-jar",
            tinyJar,
            "--entry-class",
            "no.such.Main");

    assertUserError(r, "submit: cannot run no.such.Main from " + tinyJar);
  }

  @Test
  void submitBuildsTheVaeguardJobFromTheShadedJarAsFlinkRunWould() throws Exception {
    Path jobJar =
        Path.of("..", "pipeline", "target", "vaeguard-job.jar").toAbsolutePath().normalize();
    assertThat(jobJar)
        .as("the shaded job jar; build it with `mvn -DskipTests -pl pipeline -am package`")
        .isRegularFile();

    CliRun r =
        CliRun.of(
            "submit",
            "--jobmanager",
            address,
            "--job-jar",
            jobJar,
            "--wait-seconds",
            "0",
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--input-topic",
            "observations",
            "--parallelism",
            "1");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JobID id = jobId(r);
    try {
      assertThat(r.out())
          .containsPattern("Submitted job 'vaeguard: [^']+ fp32' as " + id)
          .doesNotContain("every task RUNNING");
      assertThat(flink.listJobs().get())
          .filteredOn(j -> j.getJobId().equals(id))
          .singleElement()
          .extracting(JobStatusMessage::getJobName)
          .asString()
          .startsWith("vaeguard: ");
    } finally {
      cancel(id);
    }
  }

  @Test
  void runWithAJobManagerSubmitsTheJobBuiltHereWithTheJar() throws Exception {
    // the TaskManager (this JVM) finds the job's classes on the test classpath; the jar only has to
    // exist
    CliRun r =
        CliRun.of(
            "run",
            "--jobmanager",
            address,
            "--job-jar",
            tinyJar,
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--input-topic",
            "observations");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JobID id = jobId(r);
    try {
      assertThat(r.out())
          .contains("Settings: ")
          .containsPattern(
              "Submitted job 'vaeguard: [^']+' as "
                  + id
                  + " to http://"
                  + Pattern.quote(address)
                  + " with "
                  + Pattern.quote(tinyJar.toString()))
          .contains("Flink dashboard: http://" + address + "/#/job/running/" + id + "/overview")
          .doesNotContain("every task RUNNING");
      assertThat(flink.listJobs().get())
          .filteredOn(j -> j.getJobId().equals(id))
          .singleElement()
          .extracting(JobStatusMessage::getJobName)
          .asString()
          .startsWith("vaeguard: ");
    } finally {
      cancel(id);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static JobID jobId(CliRun r) {
    Matcher m = JOB_ID.matcher(r.out());
    assertThat(m.find()).as("a job id in %s", r).isTrue();
    return JobID.fromHexString(m.group(1));
  }

  private static void cancel(JobID id) throws Exception {
    if (!flink.getJobStatus(id).get().isGloballyTerminalState()) {
      try {
        flink.cancelJob(id).get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // it ended meanwhile
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!flink.getJobStatus(id).get().isGloballyTerminalState()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static void assertUserError(CliRun r, String start, String... mentions) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.errLines().get(0))
        .as(r.toString())
        .startsWith(start)
        .doesNotContain("Exception", "at io.");
    for (String m : mentions) {
      assertThat(r.errLines().get(0)).as(r.toString()).contains(m);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@link TinyJob} and its nested classes, from this module's test classes, as a job jar. */
  static Path tinyJobJar(Path dir) throws IOException, URISyntaxException {
    Path classes =
        Path.of(TinyJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String pkg = TinyJob.class.getPackageName().replace('.', '/');
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, TinyJob.class.getName());
    Path jar = dir.resolve("tiny-job.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        Stream<Path> files = Files.list(classes.resolve(pkg))) {
      for (Path f :
          files
              .filter(f -> f.getFileName().toString().startsWith(TinyJob.class.getSimpleName()))
              .toList()) {
        out.putNextEntry(new JarEntry(pkg + "/" + f.getFileName()));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
