package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Flink process's memory settings, as Flink's scripts compute them: {@code BashJavaUtils}
 * (GET_JM_RESOURCE_PARAMS or GET_TM_RESOURCE_PARAMS) run on the cluster's configuration.
 *
 * @param jvmOptions heap, direct memory and metaspace flags for the JVM
 * @param dynamicProperties {@code -D key=value} pairs for the process's arguments
 */
record FlinkResourceParams(List<String> jvmOptions, List<String> dynamicProperties) {
  static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  static final String EXEC_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  FlinkResourceParams {
    jvmOptions = List.copyOf(jvmOptions);
    dynamicProperties = List.copyOf(dynamicProperties);
  }

  /** The JobManager's settings and a TaskManager's. */
  record Both(FlinkResourceParams jobManager, FlinkResourceParams taskManager) {}

  /** Both roles' settings, computed side by side: each is a JVM of its own that takes a while. */
  static Both both(Path java, ClusterWorkDir files, List<String> classpath) {
    CompletableFuture<FlinkResourceParams> tm =
        CompletableFuture.supplyAsync(() -> taskManager(java, files, classpath));
    FlinkResourceParams jm = jobManager(java, files, classpath);
    try {
      return new Both(jm, tm.join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** The JobManager's settings. */
  static FlinkResourceParams jobManager(Path java, ClusterWorkDir files, List<String> classpath) {
    return compute(java, "GET_JM_RESOURCE_PARAMS", files, classpath);
  }

  /** A TaskManager's settings. */
  static FlinkResourceParams taskManager(Path java, ClusterWorkDir files, List<String> classpath) {
    return compute(java, "GET_TM_RESOURCE_PARAMS", files, classpath);
  }

  private static FlinkResourceParams compute(
      Path java, String command, ClusterWorkDir files, List<String> classpath) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                BASH_JAVA_UTILS,
                command,
                "--configDir",
                files.conf().toString()));
    ProcessBuilder pb = ChildJvm.builder(cmd, files.dir(), classpath).redirectErrorStream(true);
    pb.environment().putAll(files.environment());
    String output;
    int status;
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      status = p.waitFor();
    } catch (IOException e) {
      throw new FlinkClusterException("cannot run " + java + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("interrupted while computing Flink's memory settings", e);
    }
    List<String> results =
        output
            .lines()
            .filter(l -> l.startsWith(EXEC_RESULT_PREFIX))
            .map(l -> l.substring(EXEC_RESULT_PREFIX.length()).trim())
            .toList();
    if (status != 0 || results.size() < 2) {
      String explanation =
          output
              .lines()
              .filter(l -> l.contains("Exception") || l.contains("must") || l.contains("not"))
              .findFirst()
              .orElse(output.strip());
      throw new FlinkClusterException(
          "Flink's memory settings ("
              + BASH_JAVA_UTILS
              + " "
              + command
              + ") failed for "
              + files.conf().resolve(FlinkStandaloneCluster.CONFIG_FILE)
              + ": "
              + explanation);
    }
    return new FlinkResourceParams(
        split(results.get(results.size() - 2)), split(results.get(results.size() - 1)));
  }

  /** Words separated by white space, as Flink's scripts split options. */
  static List<String> split(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }
}
