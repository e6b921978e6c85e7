package io.vaeguard.pipeline.config;

import io.vaeguard.model.ModelRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The job's command-line arguments, as {@code vaeguard run} and {@code flink run vaeguard-job.jar}
 * both take them: a flag per {@link JobOptions} key ({@link JobOption#flag()}), {@code --config
 * FILE} (a properties file of the same keys; flags override it) and repeatable {@code
 * --kafka-property KEY=VALUE}. The CLI's picocli command fills one through the setters, the job
 * jar's main class through {@link #parse}; both end in {@link #toConfig()}, so they read the same
 * arguments the same way. The flags, their placeholders and help texts all come from {@link
 * JobOptions}; the values are parsed and checked once, by {@link JobConfig}, which names the flag
 * of a bad value given by one. {@link #parse} only splits the arguments into flags and values (the
 * job jar carries no picocli, and {@code flink run} passes it plain arguments); it checks no value.
 */
public final class JobArgs {

  public static final String CONFIG_FLAG = "--config";
  public static final String KAFKA_PROPERTY_FLAG = "--kafka-property";

  /**
   * The default model packed into the job jar (and the pipeline jar) under this resource directory.
   */
  public static final String PACKED_DEFAULT_MODEL = ModelRef.PACKED_DEFAULT;

  private Path configFile;
  private final Map<JobOption<?>, String> flags = new LinkedHashMap<>();
  private final List<String> kafkaProperties = new ArrayList<>();
  private boolean packedDefaultModel;

  /**
   * Parses {@code --flag VALUE} or {@code --flag=VALUE} for every option, {@code --config FILE} and
   * {@code --kafka-property KEY=VALUE}; anything else is an {@link IllegalArgumentException} naming
   * it.
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
        throw new IllegalArgumentException(
            "unexpected argument '" + arg + "'; options are --NAME VALUE, see --help");
      }
      JobOption<?> option = option(name);
      if (option == null && !name.equals(CONFIG_FLAG) && !name.equals(KAFKA_PROPERTY_FLAG)) {
        throw new IllegalArgumentException(
            "unknown option '" + name + "'; see --help for the options");
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
  public static JobOption<?> option(String flag) {
    for (JobOption<?> o : JobOptions.ALL) {
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
  public JobArgs set(JobOption<?> option, String value) {
    flags.put(Objects.requireNonNull(option, "option"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** {@code KEY=VALUE}, a Kafka client property for the source and the sinks. */
  public JobArgs kafkaProperty(String keyEqualsValue) {
    int eq = keyEqualsValue.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          KAFKA_PROPERTY_FLAG + ": '" + keyEqualsValue + "' is not KEY=VALUE");
    }
    kafkaProperties.add(keyEqualsValue);
    return this;
  }

  /**
   * Serve the default model from the jar ({@link ModelRef#PACKED_DEFAULT}) unless a model directory
   * is given: for a cluster, whose TaskManagers need not have {@code models/default} on disk.
   */
  public JobArgs packedDefaultModel(boolean packed) {
    this.packedDefaultModel = packed;
    return this;
  }

  /**
   * The settings: defaults, then the config file, then the flags, then the Kafka properties.
   * Without a model directory from the file or a flag, the default model is {@link
   * ModelRef#defaultLocation(boolean)}'s: {@code models/default} where that directory exists
   * (relative to the working directory), the copy packed in the jar otherwise.
   *
   * @throws IllegalArgumentException for a bad value; it names the flag where a flag gave the value
   */
  public JobConfig toConfig() {
    JobConfig.Builder b = JobConfig.builder();
    if (configFile != null) {
      b.file(configFile);
    }
    flags.forEach(b::setFromFlag);
    for (String kv : kafkaProperties) {
      int eq = kv.indexOf('=');
      b.kafkaProperty(kv.substring(0, eq).trim(), kv.substring(eq + 1));
    }
    if (!b.isSet(JobOptions.MODEL_DIR)) {
      b.set(JobOptions.MODEL_DIR, ModelRef.defaultLocation(packedDefaultModel));
    }
    JobConfig cfg = b.build();
    cfg.model(); // a model directory that does not exist fails here, named by its flag or key
    return cfg;
  }

  /** The options with their defaults and descriptions, for {@code --help} of the job jar. */
  public static String usage(String command) {
    StringBuilder sb = new StringBuilder("Usage: ").append(command).append(" [OPTIONS]\n\n");
    sb.append(
        String.format(
            "  %-34s %s%n",
            CONFIG_FLAG + " FILE",
            "Properties file of the keys below (and kafka.* keys); flags override it."));
    sb.append(
        String.format(
            "  %-34s %s%n",
            KAFKA_PROPERTY_FLAG + " KEY=VALUE",
            "Kafka client property for the source and sinks (repeatable)."));
    for (JobOption<?> o : JobOptions.ALL) {
      sb.append(String.format("  %-34s %s%n", o.flag() + " " + o.paramLabel(), o.helpText()));
    }
    return sb.toString();
  }
}
