package io.vaeguard.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

  private FlinkClasspath() {}

  /**
   * {@code -Dvaeguard.flink.classpath}, else {@code VAEGUARD_FLINK_CLASSPATH}, else {@code
   * flink-classpath.txt}, written next to this class by the module's build ({@code
   * dependency:build-classpath}); every jar must exist.
   */
  static List<String> resolve() {
    String raw = System.getProperty(PROPERTY);
    String source = "-D" + PROPERTY;
    if (raw == null || raw.isBlank()) {
      raw = System.getenv(ENV);
      source = ENV;
    }
    if (raw == null || raw.isBlank()) {
      source = RESOURCE + " (written by vaeguard-cluster's build)";
      try (InputStream in = FlinkClasspath.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new FlinkClusterException("the Flink classpath io/vaeguard/cluster/" + RESOURCE
              + " is not on the classpath: build vaeguard-cluster with `mvn -B -pl cluster process-resources`"
              + " (any later phase will do), or set " + ENV);
        }
        raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> entries = Arrays.stream(raw.trim().split(File.pathSeparator)).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    List<String> missing = entries.stream().filter(e -> !Files.exists(Path.of(e))).toList();
    if (entries.isEmpty() || !missing.isEmpty()) {
      throw new FlinkClusterException((entries.isEmpty()
          ? "the Flink classpath from " + source + " is empty"
          : missing.size() + " of " + entries.size() + " jars on the Flink classpath from " + source
              + " are missing (first: " + missing.get(0) + ")")
          + "; rebuild vaeguard-cluster with `mvn -B -pl cluster process-resources` so Maven downloads them and"
          + " rewrites the list");
    }
    return entries;
  }
}
