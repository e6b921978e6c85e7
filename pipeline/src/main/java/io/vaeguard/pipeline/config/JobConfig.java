package io.vaeguard.pipeline.config;

import io.vaeguard.model.Precision;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The job's settings, parsed and checked. Built from a config file (Java properties, the keys of
 * {@link JobOptions}, plus {@code kafka.*} pass-through keys) overlaid by flags; every bad value is
 * an {@link IllegalArgumentException} that names its key.
 */
public final class JobConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Map<String, String> values;
  private final Map<String, String> kafka;

  private JobConfig(Map<String, String> values, Map<String, String> kafka) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
    validate();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings and Kafka properties as given; unknown keys are refused so a typo is not silently ignored. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> kafka = new LinkedHashMap<>();
    private final Set<String> given = new HashSet<>();

    private Builder() {
      for (JobOption o : JobOptions.ALL) {
        values.put(o.key(), o.defaultValue());
      }
    }

    public Builder set(JobOption option, String value) {
      return set(option.key(), value);
    }

    public Builder set(String key, String value) {
      if (key.startsWith(JobOptions.KAFKA_PREFIX)) {
        return kafkaProperty(key.substring(JobOptions.KAFKA_PREFIX.length()), value);
      }
      if (!values.containsKey(key)) {
        throw new IllegalArgumentException("unknown setting '" + key + "'; settings are: "
            + String.join(", ", values.keySet()) + ", and kafka.* for Kafka client properties");
      }
      values.put(key, value == null ? "" : value.trim());
      given.add(key);
      return this;
    }

    /** Whether a file or a set() call gave this option a value (false while it has its default). */
    public boolean isSet(JobOption option) {
      return given.contains(option.key());
    }

    /** A Kafka client property (security.protocol, sasl.*, ssl.*, ...) for the source and the sinks. */
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
        throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
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

    public JobConfig build() {
      return new JobConfig(values, kafka);
    }
  }

  private void validate() {
    bootstrapServers();
    if (inputTopic().isEmpty() || alertsTopic().isEmpty() || deadLetterTopic().isEmpty()) {
      throw new IllegalArgumentException("input.topic, alerts.topic and dead-letter.topic must not be empty");
    }
    startingOffsets();
    precision();
    positive(JobOptions.BATCH_SIZE);
    nonNegative(JobOptions.MAX_WAIT);
    positive(JobOptions.THREADS);
    threshold();
    nonNegative(JobOptions.COOLDOWN);
    positive(JobOptions.WINDOW_TTL);
    positive(JobOptions.PARALLELISM);
    nonNegative(JobOptions.CHECKPOINT_INTERVAL);
    DeliveryMode d = delivery();
    if (d == DeliveryMode.EXACTLY_ONCE && checkpointInterval().isZero()) {
      throw new IllegalArgumentException("delivery.guarantee exactly-once needs checkpointing: set "
          + "checkpoint.interval-ms above 0, or choose at-least-once");
    }
  }

  private String get(JobOption o) {
    return values.get(o.key());
  }

  private long longValue(JobOption o) {
    try {
      return Long.parseLong(get(o));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(o.key() + ": '" + get(o) + "' is not a whole number");
    }
  }

  private void positive(JobOption o) {
    if (longValue(o) <= 0) {
      throw new IllegalArgumentException(o.key() + " must be positive, got " + get(o));
    }
  }

  private void nonNegative(JobOption o) {
    if (longValue(o) < 0) {
      throw new IllegalArgumentException(o.key() + " must not be negative, got " + get(o));
    }
  }

  public String bootstrapServers() {
    String s = get(JobOptions.BOOTSTRAP_SERVERS);
    if (s.isEmpty() || !s.contains(":")) {
      throw new IllegalArgumentException("bootstrap.servers: '" + s + "' is not host:port[,host:port...]");
    }
    return s;
  }

  public String inputTopic() {
    return get(JobOptions.INPUT_TOPIC);
  }

  public String alertsTopic() {
    return get(JobOptions.ALERTS_TOPIC);
  }

  /** Null when no scores are written. */
  public String scoresTopic() {
    String s = get(JobOptions.SCORES_TOPIC);
    return s.isEmpty() ? null : s;
  }

  public String deadLetterTopic() {
    return get(JobOptions.DEAD_LETTER_TOPIC);
  }

  public String groupId() {
    return get(JobOptions.GROUP_ID);
  }

  public String startingOffsets() {
    String s = get(JobOptions.STARTING_OFFSETS);
    if (!s.equals("earliest") && !s.equals("latest") && !s.equals("committed")) {
      throw new IllegalArgumentException("starting.offsets: '" + s + "' is not one of earliest, latest, committed");
    }
    return s;
  }

  public String modelDir() {
    return get(JobOptions.MODEL_DIR);
  }

  /** The precision asked for, or null to serve the model directory's own (see {@link JobOptions#PRECISION}). */
  public Precision precision() {
    if (get(JobOptions.PRECISION).isEmpty()) {
      return null;
    }
    try {
      return Precision.parse(get(JobOptions.PRECISION));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model.precision: " + e.getMessage(), e);
    }
  }

  public int batchSize() {
    return (int) longValue(JobOptions.BATCH_SIZE);
  }

  public Duration maxWait() {
    return Duration.ofMillis(longValue(JobOptions.MAX_WAIT));
  }

  public int threads() {
    return (int) longValue(JobOptions.THREADS);
  }

  public String device() {
    return get(JobOptions.DEVICE);
  }

  /** NaN when the model card's threshold applies. */
  public double threshold() {
    String s = get(JobOptions.THRESHOLD);
    if (s.isEmpty()) {
      return Double.NaN;
    }
    try {
      double t = Double.parseDouble(s);
      if (!(t >= 0 && t < 1)) {
        throw new NumberFormatException();
      }
      return t;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("alert.threshold: '" + s + "' is not a number in [0,1)");
    }
  }

  public Duration cooldown() {
    return Duration.ofMillis(longValue(JobOptions.COOLDOWN));
  }

  public Duration windowTtl() {
    return Duration.ofMillis(longValue(JobOptions.WINDOW_TTL));
  }

  public int parallelism() {
    return (int) longValue(JobOptions.PARALLELISM);
  }

  public Duration checkpointInterval() {
    return Duration.ofMillis(longValue(JobOptions.CHECKPOINT_INTERVAL));
  }

  public DeliveryMode delivery() {
    return DeliveryMode.parse(get(JobOptions.DELIVERY));
  }

  public String transactionalIdPrefix() {
    return get(JobOptions.TRANSACTIONAL_ID_PREFIX);
  }

  /** Kafka client properties for the source and the sinks (secrets included: never log this map). */
  public Properties kafkaProperties() {
    Properties p = new Properties();
    p.putAll(kafka);
    return p;
  }

  /** The settings for a log line, Kafka secrets masked. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("JobConfig{");
    values.forEach((k, v) -> sb.append(k).append('=').append(v).append(", "));
    Secrets.redact(kafka).forEach((k, v) -> sb.append("kafka.").append(k).append('=').append(v).append(", "));
    sb.setLength(sb.length() - 2);
    return sb.append('}').toString();
  }
}
