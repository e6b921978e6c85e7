package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.config.JobArgs;
import io.vaeguard.pipeline.config.JobOption;
import io.vaeguard.pipeline.config.JobOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vaeguard run}'s flags and its mistakes; nothing here starts Flink or needs a broker. */
class RunCommandTest {

  @Test
  void helpListsEveryJobOptionWithItsDescriptionAndDefault() {
    CliRun r = CliRun.of("run", "--help");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    String help = r.out().replaceAll("\\s+", " ");
    for (JobOption<?> o : JobOptions.ALL) {
      assertThat(help)
          .as(o.key())
          .contains(o.flag() + "=")
          .contains(o.helpText().replaceAll("\\s+", " "));
    }
    assertThat(help)
        .contains(
            "--config=FILE",
            "--kafka-property=KEY=VALUE",
            "--web-port=N",
            "(default: 8081)",
            "--jobmanager=HOST:PORT");
  }

  @Test
  void badValuesAreOneLineNamingTheFlag(@TempDir Path dir) {
    assertUserError(
        CliRun.of("run", "--scoring-batch-size", "0"), "--scoring-batch-size", "positive", "0");
    assertUserError(
        CliRun.of("run", "--model-precision", "int4"),
        "--model-precision",
        "'int4'",
        "fp32, int8, fp16w");
    Path missing = dir.resolve("nonexistent");
    assertUserError(CliRun.of("run", "--model-dir", missing), "--model-dir", missing.toString());
    assertUserError(
        CliRun.of("run", "--config", dir.resolve("job.properties")), "--config", "job.properties");
    assertUserError(
        CliRun.of("run", "--kafka-property", "acks"), "--kafka-property", "'acks'", "KEY=VALUE");
    assertUserError(CliRun.of("run", "--jobmanager", "localhost"), "--jobmanager", "HOST:PORT");
  }

  @Test
  void aTakenWebPortNamesThePortAndTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      CliRun r = CliRun.of("run", "--web-port", port);

      assertUserError(r, "port " + port, "already in use", "--web-port");
    }
  }

  @Test
  void theCliAndTheJobJarReadArgumentsAlike(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("job.properties"),
            """
        bootstrap.servers=broker:9093
        scoring.batch-size=64
        kafka.security.protocol=SASL_SSL
        """);
    String[] args = {
      "--config",
      file.toString(),
      "--scoring-batch-size=128",
      "--input-topic",
      "in",
      "--kafka-property",
      "sasl.jaas.config=hunter2",
      "--alert-threshold",
      "0.99",
      "--delivery-guarantee",
      "at-least-once"
    };

    String[] cliArgs = new String[args.length + 1];
    cliArgs[0] = "run";
    System.arraycopy(args, 0, cliArgs, 1, args.length);
    CommandLine.ParseResult parsed = VaeguardCli.newCommandLine().parseArgs(cliArgs);
    RunCommand run = parsed.subcommand().commandSpec().commandLine().getCommand();

    String viaCli = run.jobArgs(false).toConfig().toString();
    String viaJobJar = JobArgs.parse(args).toConfig().toString();
    assertThat(viaCli)
        .isEqualTo(viaJobJar)
        .contains("scoring.batch-size=128", "bootstrap.servers=broker:9093")
        .doesNotContain("hunter2");
  }

  private static void assertUserError(CliRun r, String... mentions) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.errLines().get(0))
        .as(r.toString())
        .startsWith("run: ")
        .contains(mentions)
        .doesNotContain("Exception", "at io.");
  }
}
