package io.vaeguard.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * A Flink {@code config.yaml} as flat keys: nested maps ({@code rest: {port: 8081}}) and flat keys
 * ({@code rest.port: 8081}) both read as {@code rest.port}, as Flink reads them. Values keep their
 * YAML types (strings, numbers, booleans, lists); {@link #write(Path)} writes flat keys, one per line.
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
    Object root;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (NoSuchFileException e) {
      throw new FlinkClusterException("no Flink configuration at " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (YAMLException e) {
      throw new FlinkClusterException(file + " is not valid YAML: " + e.getMessage().strip().replaceAll("\\s*\\R\\s*", " "));
    }
    Map<String, Object> flat = new LinkedHashMap<>();
    if (root == null) {
      return new FlinkConfigFile(flat);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new FlinkClusterException(file + " must hold key: value pairs, found " + root.getClass().getSimpleName());
    }
    flatten("", map, flat);
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

  /** Writes flat keys, one per line (long values are not folded), under a comment line. */
  public void write(Path file, String comment) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setWidth(Integer.MAX_VALUE);
    o.setSplitLines(false);
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(o), o);
    StringBuilder text = new StringBuilder();
    if (comment != null) {
      comment.lines().forEach(l -> text.append("# ").append(l).append('\n'));
    }
    text.append(yaml.dump(new LinkedHashMap<>(values)));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
