package io.vaeguard.pipeline.config;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The job's settings, parsed and checked once, when they are built. Built from a config file (Java
 * properties, the keys of {@link JobOptions}, plus {@code kafka.*} pass-through keys) overlaid by
 * flags; every bad value is an {@link IllegalArgumentException} that names its key, or its flag
 * where a flag gave it ({@link JobOption.InvalidValue}). {@link #get(JobOption)} returns the typed
 * value; the named getters are shorthands.
 */
public final class JobConfig implements Serializable {

  private static final long serialVersionUID = 2L;

  private final Map<String, String> texts; // every option's text as given, in JobOptions.ALL order
  private final Map<String, Object> values; // every option's value (null: none)
  private final Set<String> byFlag; // keys whose value a flag gave, named by their flag in messages
  private final Map<String, String> kafka;
  private transient volatile ModelRef model;

  private JobConfig(Map<String, String> texts, Set<String> byFlag, Map<String, String> kafka) {
    this.texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    this.byFlag = Set.copyOf(byFlag);
    this.kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
    Map<String, Object> parsed = new HashMap<>();
    for (JobOption<?> o : JobOptions.ALL) {
      parsed.put(o.key(), o.parse(texts.get(o.key()), nameOf(o)));
    }
    this.values = Collections.unmodifiableMap(parsed);
    if (inputTopic().isEmpty() || alertsTopic().isEmpty() || deadLetterTopic().isEmpty()) {
      throw new IllegalArgumentException(
          "input.topic, alerts.topic and dead-letter.topic must not be empty");
    }
    if (delivery() == DeliveryMode.EXACTLY_ONCE && checkpointInterval().isZero()) {
      throw new JobOption.InvalidValue(
          JobOptions.DELIVERY,
          nameOf(JobOptions.DELIVERY),
          " exactly-once needs "
              + "checkpointing: set checkpoint.interval-ms above 0, or choose at-least-once");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings and Kafka properties as given; unknown keys are refused so a typo is not silently
   * ignored.
   */
  public static final class Builder {
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, String> kafka = new LinkedHashMap<>();
    private final Set<String> given = new HashSet<>();
    private final Set<String> byFlag = new HashSet<>();

    private Builder() {
      for (JobOption<?> o : JobOptions.ALL) {
        texts.put(o.key(), o.defaultText());
      }
    }

    public Builder set(JobOption<?> option, String value) {
      return set(option.key(), value);
    }

    public Builder set(String key, String value) {
      if (key.startsWith(JobOptions.KAFKA_PREFIX)) {
        return kafkaProperty(key.substring(JobOptions.KAFKA_PREFIX.length()), value);
      }
      if (!texts.containsKey(key)) {
        throw new IllegalArgumentException(
            "unknown setting '"
                + key
                + "'; settings are: "
                + String.join(", ", texts.keySet())
                + ", and kafka.* for Kafka client properties");
      }
      texts.put(key, value == null ? "" : value.trim());
      given.add(key);
      byFlag.remove(key);
      return this;
    }

    /**
     * As {@link #set(JobOption, String)}, for a value its flag gave: messages about it name the
     * flag.
     */
    public Builder setFromFlag(JobOption<?> option, String value) {
      set(option, value);
      byFlag.add(option.key());
      return this;
    }

    /** Whether a file or a set() call gave this option a value (false while it has its default). */
    public boolean isSet(JobOption<?> option) {
      return given.contains(option.key());
    }

    /**
     * A Kafka client property (security.protocol, sasl.*, ssl.*, ...) for the source and the sinks.
     */
    public Builder kafkaProperty(String key, String value) {
      if (key.isBlank()) {
        throw new IllegalArgumentException("a Kafka property needs a name");
      }
      kafka.put(key, value);
      return this;
    }

    /** Reads a properties file; its settings replace defaults, later set() calls replace them. */
    public Builder file(Path file) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read config file " + file + ": " + e.getMessage(), e);
      }
      for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
        try {
          set(key, p.getProperty(key));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
      }
      return this;
    }

    /**
     * The settings, every value parsed and checked.
     *
     * @throws IllegalArgumentException for the first bad value, naming its key or flag and what is
     *     allowed
     */
    public JobConfig build() {
      return new JobConfig(texts, byFlag, kafka);
    }
  }

  /**
   * The option's value, parsed when this was built; null where the option has no value ("none").
   */
  public <T> T get(JobOption<T> option) {
    if (!values.containsKey(option.key())) {
      throw new IllegalArgumentException("unknown setting '" + option.key() + "'");
    }
    return option.type().cast(values.get(option.key()));
  }

  /** How messages name the option: its flag where a flag gave the value, else its key. */
  public String nameOf(JobOption<?> option) {
    return byFlag.contains(option.key()) ? option.flag() : option.key();
  }

  public String bootstrapServers() {
    return get(JobOptions.BOOTSTRAP_SERVERS);
  }

  public String inputTopic() {
    return get(JobOptions.INPUT_TOPIC);
  }

  public String alertsTopic() {
    return get(JobOptions.ALERTS_TOPIC);
  }

  /** Null when no scores are written. */
  public String scoresTopic() {
    return get(JobOptions.SCORES_TOPIC);
  }

  public String deadLetterTopic() {
    return get(JobOptions.DEAD_LETTER_TOPIC);
  }

  public String groupId() {
    return get(JobOptions.GROUP_ID);
  }

  public StartingOffsets startingOffsets() {
    return get(JobOptions.STARTING_OFFSETS);
  }

  /** {@code model.dir} as given; {@link #model()} is the model it names. */
  public String modelDir() {
    return get(JobOptions.MODEL_DIR);
  }

  /**
   * The precision asked for, or null to serve the model directory's own (see {@link
   * JobOptions#PRECISION}).
   */
  public Precision precision() {
    return get(JobOptions.PRECISION);
  }

  /**
   * The model that {@code model.dir} and {@code model.precision} name, found once (the first call
   * looks at the filesystem or the classpath; later calls, and its card, are the same object's).
   *
   * @throws IllegalArgumentException when the directory does not exist; the message names {@code
   *     model.dir} or its flag
   */
  public ModelRef model() {
    ModelRef m = model;
    if (m == null) {
      m = ModelRef.parse(modelDir(), precision(), nameOf(JobOptions.MODEL_DIR));
      model = m;
    }
    return m;
  }

  public int batchSize() {
    return get(JobOptions.BATCH_SIZE);
  }

  public Duration maxWait() {
    return get(JobOptions.MAX_WAIT);
  }

  public int threads() {
    return get(JobOptions.THREADS);
  }

  public String device() {
    return get(JobOptions.DEVICE);
  }

  /** NaN when the model card's threshold applies. */
  public double threshold() {
    Double t = get(JobOptions.THRESHOLD);
    return t == null ? Double.NaN : t;
  }

  public Duration cooldown() {
    return get(JobOptions.COOLDOWN);
  }

  public Duration windowTtl() {
    return get(JobOptions.WINDOW_TTL);
  }

  public int parallelism() {
    return get(JobOptions.PARALLELISM);
  }

  public Duration checkpointInterval() {
    return get(JobOptions.CHECKPOINT_INTERVAL);
  }

  public DeliveryMode delivery() {
    return get(JobOptions.DELIVERY);
  }

  public String transactionalIdPrefix() {
    return get(JobOptions.TRANSACTIONAL_ID_PREFIX);
  }

  /**
   * Kafka client properties for the source and the sinks (secrets included: never log this map).
   */
  public Properties kafkaProperties() {
    Properties p = new Properties();
    p.putAll(kafka);
    return p;
  }

  /** The settings for a log line, as given, Kafka secrets masked. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("JobConfig{");
    texts.forEach((k, v) -> sb.append(k).append('=').append(v).append(", "));
    Secrets.redact(kafka)
        .forEach((k, v) -> sb.append("kafka.").append(k).append('=').append(v).append(", "));
    sb.setLength(sb.length() - 2);
    return sb.append('}').toString();
  }
}
