package io.vaeguard.pipeline.config;

import java.util.Objects;

/**
 * One setting of the job: its key (as in a config file), the flag derived from it, a default and
 * the description that {@code --help} prints. Values are strings until {@link JobConfig} parses
 * them, so a bad value is reported with its key.
 *
 * @param key config file key, e.g. {@code scoring.batch-size}
 * @param defaultValue default as text; empty for "none"
 * @param description one sentence for {@code --help} and the README
 */
public record JobOption(String key, String defaultValue, String description) {

  public JobOption {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(description, "description");
  }

  /** The command-line flag: {@code --} and the key with dots as dashes. */
  public String flag() {
    return "--" + key.replace('.', '-');
  }
}
