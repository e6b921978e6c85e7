package io.vaeguard.local.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a child JVM's classpath comes from: the system property {@code property}, else the
 * environment variable {@code env}, else the list {@code resource} that the module's build ({@code
 * dependency:build-classpath}) wrote next to {@code resourceOwner}. Never the caller's classpath.
 *
 * @param what the classpath in messages, e.g. {@code "Kafka broker classpath"}
 * @param module the Maven module whose build writes the list, e.g. {@code "local"} (artifact {@code
 *     vaeguard-local})
 * @param error the launcher's exception for a message
 */
public record ChildClasspath(
    String what,
    String module,
    String property,
    String env,
    Class<?> resourceOwner,
    String resource,
    Function<String, RuntimeException> error) {

  public ChildClasspath {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(resourceOwner, "resourceOwner");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(error, "error");
  }

  /** The classpath's entries; every one must exist, else the error says how to rebuild the list. */
  public List<String> resolve() {
    String raw = System.getProperty(property);
    String source = "-D" + property;
    if (raw == null || raw.isBlank()) {
      raw = System.getenv(env);
      source = env;
    }
    String artifact = "vaeguard-" + module;
    if (raw == null || raw.isBlank()) {
      source = resource + " (written by " + artifact + "'s build)";
      try (InputStream in = resourceOwner.getResourceAsStream(resource)) {
        if (in == null) {
          throw error.apply(
              "the "
                  + what
                  + " "
                  + resourceOwner.getPackageName().replace('.', '/')
                  + "/"
                  + resource
                  + " is not on the classpath: build "
                  + artifact
                  + " with `mvn -B -pl "
                  + module
                  + " process-resources` (any later phase will do), or set "
                  + env);
        }
        raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> entries =
        Arrays.stream(raw.trim().split(File.pathSeparator))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    List<String> missing = entries.stream().filter(e -> !Files.exists(Path.of(e))).toList();
    if (entries.isEmpty() || !missing.isEmpty()) {
      throw error.apply(
          (entries.isEmpty()
                  ? "the " + what + " from " + source + " is empty"
                  : missing.size()
                      + " of "
                      + entries.size()
                      + " jars on the "
                      + what
                      + " from "
                      + source
                      + " are missing (first: "
                      + missing.get(0)
                      + ")")
              + "; rebuild "
              + artifact
              + " with `mvn -B -pl "
              + module
              + " process-resources` so"
              + " Maven downloads them and rewrites the list");
    }
    return entries;
  }
}
