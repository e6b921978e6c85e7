package io.vaeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged JMH jar the way {@code bin/vaeguard bench scoring} does, with the shortest
 * iterations JMH allows: every benchmark must load and run from that jar alone. The jar leaves out
 * most of Flink on purpose, and a benchmark that needs a class it lacks fails only there (the
 * 'bytes' input did once); the unit tests, on the module's full class path, cannot see that.
 */
class ScoringJarITCase {

  @TempDir Path out;

  @Test
  void everyScoringBenchmarkRunsFromTheShadedJar() throws Exception {
    Path jar = Path.of("target", "vaeguard-benchmarks.jar");
    assertThat(jar).as("packaged before the integration tests").isRegularFile();
    Path model = Path.of("..", "models", "default").toAbsolutePath().normalize();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvaeguard.bench.model=" + model,
                "-Djava.awt.headless=true",
                "-jar",
                jar.toString(),
                "--out",
                out.toString(),
                "-f",
                "0",
                "-wi",
                "0",
                "-i",
                "1",
                "-r",
                "100ms",
                "-p",
                "batch=4",
                "-p",
                "precision=fp32",
                "-p",
                "threads=1"));
    Path log = out.resolve("run.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(ended).as("finished within 5 minutes; output:%n%s", output).isTrue();
    assertThat(p.exitValue()).as("exit status; output:%n%s", output).isZero();
    assertThat(output).doesNotContain("<failure>").doesNotContain("Exception");

    String summary = Files.readString(out.resolve("summary.md"));
    assertThat(summary)
        .contains("| floats | fp32 | 1 | 4 |")
        .contains("| observations | fp32 | 1 | 4 |")
        .contains("| bytes | fp32 | 1 | 4 |")
        .contains("MatMul ceiling");
    assertThat(out.resolve("summary.json")).isNotEmptyFile();
    assertThat(out.resolve("records-per-second.png")).isNotEmptyFile();
  }
}
