package io.vaeguard.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/vaeguard bench pipeline} the way the launcher does (the packaged bench jar with
 * {@code target/lib/*}, Flink's opens), on a few thousand records with short latency levels: a real
 * broker, every variant on its own MiniCluster, and one output record per input for each.
 */
class PipelineVerbITCase {

  private static final int RECORDS = 5000;

  @TempDir Path out;

  @Test
  void everyVariantWritesOneOutputPerInputAndTheReportIsComplete() throws Exception {
    assertThat(Path.of("target", "vaeguard-bench.jar"))
        .as("packaged before the integration tests")
        .isRegularFile();
    List<String> cmd =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String pkg :
        List.of(
            "java.lang",
            "java.util",
            "java.nio",
            "sun.nio.ch",
            "java.util.concurrent",
            "java.lang.reflect",
            "java.io",
            "java.net",
            "java.time",
            "java.text",
            "java.util.concurrent.atomic",
            "java.util.concurrent.locks")) {
      cmd.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    cmd.addAll(
        List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "-Xmx1g",
            "-Djava.awt.headless=true",
            "-cp",
            "target/vaeguard-bench.jar" + File.pathSeparator + "target/lib/*",
            PipelineBenchmarkMain.class.getName(),
            "--records",
            String.valueOf(RECORDS),
            "--model",
            Path.of("..", "models", "default").toString(),
            "--warmup-seconds",
            "1",
            "--window-seconds",
            "1",
            "--out",
            out.toString()));
    Path log = out.resolve("run.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(6, TimeUnit.MINUTES);
    if (!ended) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(ended).as("finished within 6 minutes; output:%n%s", tail(output)).isTrue();
    assertThat(p.exitValue()).as("exit status; output:%n%s", tail(output)).isZero();

    String md = Files.readString(out.resolve("pipeline.md"));
    for (String variant :
        List.of(
            "(a) pass-through",
            "(b) VAE job fp32",
            "(c) VAE job int8",
            "(d) VAE job fp32, batch 1")) {
      assertThat(md.lines().filter(l -> l.startsWith("| " + variant)).findFirst())
          .as(variant + " in%n%s", md)
          .hasValueSatisfying(row -> assertThat(row).contains("| 5,000 |"));
    }
    assertThat(md).contains("(b)/(a) = ").contains("(b)/(d) = ");
    assertThat(md.lines().filter(l -> l.matches("\\| (25|50|75)% \\|.*")))
        .as("three latency levels")
        .hasSize(3);
    assertThat(out.resolve("pipeline.json")).isNotEmptyFile();
    assertThat(out.resolve("latency-cdf.png")).isNotEmptyFile();
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
  }
}
