package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildClasspath;
import java.util.List;

/**
 * The Flink JVMs' classpath: Flink's runtime jars from Maven Central (flink-runtime,
 * flink-streaming-java, flink-clients, flink-runtime-web, flink-connector-base and their
 * dependencies) and a Log4j 2 backend, as vaeguard-cluster's build resolved them.
 */
final class FlinkClasspath {
  static final String PROPERTY = "vaeguard.flink.classpath";
  static final String ENV = "VAEGUARD_FLINK_CLASSPATH";
  static final String RESOURCE = "flink-classpath.txt";

  private static final ChildClasspath CLASSPATH =
      new ChildClasspath(
          "Flink classpath",
          "cluster",
          PROPERTY,
          ENV,
          FlinkClasspath.class,
          RESOURCE,
          FlinkClusterException::new);

  private FlinkClasspath() {}

  /**
   * {@code -Dvaeguard.flink.classpath}, else {@code VAEGUARD_FLINK_CLASSPATH}, else {@code
   * flink-classpath.txt}, written next to this class by the module's build ({@code
   * dependency:build-classpath}); every jar must exist.
   */
  static List<String> resolve() {
    return CLASSPATH.resolve();
  }
}
