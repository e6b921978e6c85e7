package io.vaeguard.pipeline.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The job's command-line arguments, as {@code vaeguard run} and {@code flink run vaeguard-job.jar}
 * both take them: a flag per {@link JobOptions} key ({@link JobOption#flag()}), {@code --config FILE}
 * (a properties file of the same keys; flags override it) and repeatable {@code --kafka-property
 * KEY=VALUE}. The CLI's picocli command fills one through the setters, the job jar's main class
 * through {@link #parse}; both end in {@link #toConfig()}, so they read the same arguments the same way.
 */
public final class JobArgs {

  public static final String CONFIG_FLAG = "--config";
  public static final String KAFKA_PROPERTY_FLAG = "--kafka-property";

  /** The default model packed into the job jar (and the pipeline jar) under this resource directory. */
  public static final String PACKED_DEFAULT_MODEL = "classpath:models/default";

  private Path configFile;
  private final Map<JobOption, String> flags = new LinkedHashMap<>();
  private final List<String> kafkaProperties = new ArrayList<>();
  private boolean packedDefaultModel;

  /**
   * Parses {@code --flag VALUE} or {@code --flag=VALUE} for every option, {@code --config FILE} and
   * {@code --kafka-property KEY=VALUE}; anything else is an {@link IllegalArgumentException} naming it.
   */
  public static JobArgs parse(String... args) {
    JobArgs parsed = new JobArgs();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!name.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'; options are --NAME VALUE, see --help");
      }
      JobOption option = option(name);
      if (option == null && !name.equals(CONFIG_FLAG) && !name.equals(KAFKA_PROPERTY_FLAG)) {
        throw new IllegalArgumentException("unknown option '" + name + "'; see --help for the options");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      if (option != null) {
        parsed.set(option, value);
      } else if (name.equals(CONFIG_FLAG)) {
        parsed.configFile(Path.of(value));
      } else {
        parsed.kafkaProperty(value);
      }
    }
    return parsed;
  }

  /** The option whose flag is {@code flag}, or null. */
  public static JobOption option(String flag) {
    for (JobOption o : JobOptions.ALL) {
      if (o.flag().equals(flag)) {
        return o;
      }
    }
    return null;
  }

  public JobArgs configFile(Path file) {
    this.configFile = Objects.requireNonNull(file, "file");
    return this;
  }

  /** A value given on the command line; it replaces the config file's. */
  public JobArgs set(JobOption option, String value) {
    flags.put(Objects.requireNonNull(option, "option"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** {@code KEY=VALUE}, a Kafka client property for the source and the sinks. */
  public JobArgs kafkaProperty(String keyEqualsValue) {
    int eq = keyEqualsValue.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(KAFKA_PROPERTY_FLAG + ": '" + keyEqualsValue + "' is not KEY=VALUE");
    }
    kafkaProperties.add(keyEqualsValue);
    return this;
  }

  /**
   * Serve the default model from the jar ({@value #PACKED_DEFAULT_MODEL}) unless a model directory
   * is given: for a cluster, whose TaskManagers need not have {@code models/default} on disk.
   */
  public JobArgs packedDefaultModel(boolean packed) {
    this.packedDefaultModel = packed;
    return this;
  }

  /**
   * The settings: defaults, then the config file, then the flags, then the Kafka properties. Without
   * a model directory from the file or a flag, the default one is {@code models/default} where that
   * directory exists (relative to the working directory) and the copy packed in the jar otherwise.
   *
   * @throws IllegalArgumentException for a bad value; it names the flag where a flag gave the value
   */
  public JobConfig toConfig() {
    JobConfig.Builder b = JobConfig.builder();
    if (configFile != null) {
      b.file(configFile);
    }
    flags.forEach(b::set);
    for (String kv : kafkaProperties) {
      int eq = kv.indexOf('=');
      b.kafkaProperty(kv.substring(0, eq).trim(), kv.substring(eq + 1));
    }
    if (!b.isSet(JobOptions.MODEL_DIR)
        && (packedDefaultModel || !Files.isDirectory(Path.of(JobOptions.MODEL_DIR.defaultValue())))) {
      b.set(JobOptions.MODEL_DIR, PACKED_DEFAULT_MODEL);
    }
    try {
      JobConfig cfg = b.build();
      String dir = cfg.modelDir();
      if (!dir.startsWith("classpath:") && !Files.isDirectory(Path.of(dir))) {
        throw new IllegalArgumentException(JobOptions.MODEL_DIR.key() + ": no such directory: "
            + Path.of(dir).toAbsolutePath().normalize());
      }
      return cfg;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(withFlagNames(e.getMessage()), e);
    }
  }

  /** A message that starts with a key whose value came from a flag names the flag instead. */
  private String withFlagNames(String message) {
    if (message == null) {
      return null;
    }
    for (JobOption o : flags.keySet()) {
      if (message.startsWith(o.key() + ":") || message.startsWith(o.key() + " ")) {
        return o.flag() + message.substring(o.key().length());
      }
    }
    return message;
  }

  /** The options with their defaults and descriptions, for {@code --help} of the job jar. */
  public static String usage(String command) {
    StringBuilder sb = new StringBuilder("Usage: ").append(command).append(" [OPTIONS]\n\n");
    sb.append(String.format("  %-34s %s%n", CONFIG_FLAG + " FILE",
        "Properties file of the keys below (and kafka.* keys); flags override it."));
    sb.append(String.format("  %-34s %s%n", KAFKA_PROPERTY_FLAG + " KEY=VALUE",
        "Kafka client property for the source and sinks (repeatable)."));
    for (JobOption o : JobOptions.ALL) {
      sb.append(String.format("  %-34s %s%n", o.flag() + " " + paramLabel(o), describe(o)));
    }
    return sb.toString();
  }

  /** The description with the default, as --help shows it. */
  public static String describe(JobOption o) {
    return o.description() + " (default: " + (o.defaultValue().isEmpty() ? "none" : o.defaultValue()) + ")";
  }

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  /** A flag's value placeholder: N for numbers, else the last part of the key in capitals. */
  public static String paramLabel(JobOption o) {
    if (NUMBER.matcher(o.defaultValue()).matches()) {
      return "N";
    }
    String last = o.key().substring(o.key().lastIndexOf('.') + 1);
    return last.toUpperCase(Locale.ROOT);
  }
}
