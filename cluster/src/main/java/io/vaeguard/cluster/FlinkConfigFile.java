package io.vaeguard.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.configuration.YamlParserUtils;

/**
 * A Flink {@code config.yaml} as flat keys: nested maps ({@code rest: {port: 8081}}) and flat keys
 * ({@code rest.port: 8081}) both read as {@code rest.port}, as Flink reads them. Parsing and value
 * writing are Flink's own ({@link YamlParserUtils}, the YAML 1.2 parser the JobManager and
 * TaskManagers read this file with), so the launcher sees the values the Flink JVMs will. Values
 * keep their YAML types (strings, numbers, booleans, lists); {@link #write} writes flat keys, one
 * per line. What is left here: flattening (Flink's {@code GlobalConfiguration} does it privately,
 * into a {@code Configuration} that no longer tells a list from a string), the errors that name the
 * file, and the comment header.
 */
public final class FlinkConfigFile {

  private final Map<String, Object> values;

  private FlinkConfigFile(Map<String, Object> values) {
    this.values = values;
  }

  public static FlinkConfigFile empty() {
    return new FlinkConfigFile(new LinkedHashMap<>());
  }

  /** Reads a config.yaml; a file that is not YAML key-value pairs is an error naming the file. */
  public static FlinkConfigFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new FlinkClusterException("no Flink configuration at " + file);
    }
    Map<String, Object> root;
    try {
      root = YamlParserUtils.loadYamlFile(file.toFile());
    } catch (ClassCastException e) {
      throw new FlinkClusterException(
          file + " must hold key: value pairs, found another kind of YAML document");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new FlinkClusterException(
          file + " is not valid YAML: " + why.strip().replaceAll("\\s*\\R\\s*", " "));
    }
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten("", root, flat);
    return new FlinkConfigFile(flat);
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> nested) {
        flatten(key + ".", nested, out);
      } else {
        out.put(key, e.getValue());
      }
    }
  }

  /** The value as Flink would read it from text, or null when the key is not set. */
  public String get(String key) {
    Object v = values.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> list) {
      return String.join(";", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(v);
  }

  public String get(String key, String fallback) {
    String v = get(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Sets (or replaces) a key; the value is written as a string, a number or a boolean as given. */
  public FlinkConfigFile set(String key, Object value) {
    values.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  public FlinkConfigFile setAll(Map<String, ?> entries) {
    entries.forEach(this::set);
    return this;
  }

  public Map<String, Object> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /**
   * Writes flat keys, one per line ({@code key: value}, each value as Flink writes a configuration
   * value, {@link YamlParserUtils#toYAMLString}), under a comment line.
   */
  public void write(Path file, String comment) {
    StringBuilder text = new StringBuilder();
    if (comment != null) {
      comment.lines().forEach(l -> text.append("# ").append(l).append('\n'));
    }
    values.forEach(
        (k, v) -> text.append(k).append(": ").append(YamlParserUtils.toYAMLString(v)).append('\n'));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
