package io.vaeguard.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which java runs Flink. */
final class FlinkJava {
  private FlinkJava() {}

  /**
   * The builder's Java home, else {@code env.java.home} of the cluster's config.yaml (as Flink's
   * scripts read it), else the one running this code.
   *
   * @param javaHome the builder's, or null
   * @param sourceConfDir where the cluster's config.yaml came from, named in the error
   */
  static Path find(Path javaHome, ClusterWorkDir files, Path sourceConfDir) {
    String source;
    Path home;
    Path conf = files.conf().resolve(FlinkStandaloneCluster.CONFIG_FILE);
    String configured =
        Files.isRegularFile(conf) ? FlinkConfigFile.read(conf).get("env.java.home") : null;
    if (javaHome != null) {
      home = javaHome;
      source = "the given Java home";
    } else if (configured != null && !configured.isBlank()) {
      home = Path.of(configured.trim());
      source = "env.java.home in " + sourceConfDir.resolve(FlinkStandaloneCluster.CONFIG_FILE);
    } else {
      home = Path.of(System.getProperty("java.home"));
      source = "this JVM's java.home";
    }
    Path java = home.resolve("bin").resolve("java");
    if (!Files.isExecutable(java)) {
      throw new FlinkClusterException(
          "no java at " + java + " (from " + source + "); point it at a JDK 17 or newer");
    }
    return java;
  }
}
