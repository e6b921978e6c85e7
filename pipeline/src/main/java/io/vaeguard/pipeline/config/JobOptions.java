package io.vaeguard.pipeline.config;

import static io.vaeguard.pipeline.config.JobOption.key;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the streaming job, typed, with the values it takes, its default and its
 * description: the one definition that config files, flags, {@code --help} and the README's
 * settings table (checked by {@code SettingsTableTest}) come from.
 */
public final class JobOptions {

  private JobOptions() {}

  public static final JobOption<String> BOOTSTRAP_SERVERS =
      key("bootstrap.servers")
          .type(String.class, JobOptions::hostPorts, s -> s)
          .defaultValue("127.0.0.1:9092")
          .withDescription("Kafka bootstrap servers, host:port[,host:port...].");
  public static final JobOption<String> INPUT_TOPIC =
      key("input.topic")
          .stringType()
          .defaultValue("observations")
          .withDescription("Topic of Avro Observation records to score.");
  public static final JobOption<String> ALERTS_TOPIC =
      key("alerts.topic")
          .stringType()
          .defaultValue("alerts")
          .withDescription("Topic the Avro Alert records go to.");
  public static final JobOption<String> SCORES_TOPIC =
      key("scores.topic")
          .stringType()
          .noDefaultValue()
          .withDescription("Topic for every record's Avro Score; empty to write none.");
  public static final JobOption<String> DEAD_LETTER_TOPIC =
      key("dead-letter.topic")
          .stringType()
          .defaultValue("dead-letters")
          .withDescription(
              "Topic for records that cannot be scored (Avro DeadLetter: raw bytes, source offset, "
                  + "reason).");
  public static final JobOption<String> GROUP_ID =
      key("group.id")
          .stringType()
          .defaultValue("vaeguard")
          .withDescription("Kafka consumer group id of the source.");
  public static final JobOption<StartingOffsets> STARTING_OFFSETS =
      key("starting.offsets")
          .enumType(StartingOffsets.class, StartingOffsets::id)
          .defaultValue(StartingOffsets.COMMITTED)
          .withDescription(
              "Where to start reading when there is no checkpoint: earliest, latest, or committed (the group's "
                  + "committed offsets, earliest where there are none).");
  public static final JobOption<String> MODEL_DIR =
      key("model.dir")
          .stringType()
          .defaultValue(ModelRef.DEFAULT_DIRECTORY)
          .withDescription(
              "Model directory (with fp32/, int8/, ... sub-directories, or model.onnx + model.json); it must be "
                  + "readable at this path on every TaskManager. 'classpath:DIR' reads a model packed in the job jar; "
                  + "without models/default in the working directory the default is the copy in the jar, "
                  + "classpath:models/default.");
  public static final JobOption<Precision> PRECISION =
      key("model.precision")
          .type(Precision.class, Precision::parse, Precision::id)
          .noDefaultValue()
          .withDescription(
              "Model variant to serve: fp32, int8, fp16w or int8-static; empty: the card's own for a directory "
                  + "that holds one model (an optimize variant), else fp32.");
  public static final JobOption<Integer> BATCH_SIZE =
      key("scoring.batch-size")
          .intType()
          .positive()
          .defaultValue(256)
          .withDescription("A micro-batch is scored when it holds this many records ...");
  public static final JobOption<Duration> MAX_WAIT =
      key("scoring.max-wait-ms")
          .millisType()
          .nonNegative()
          .defaultValue(Duration.ofMillis(10))
          .withDescription(
              "... or when its first record has waited this long (ms), whichever comes first.");
  public static final JobOption<Integer> THREADS =
      key("scoring.threads")
          .intType()
          .positive()
          .defaultValue(1)
          .withDescription(
              "ONNX Runtime intra-op threads per scoring subtask (a subtask per task slot: keep slots x threads "
                  + "<= cores).");
  public static final JobOption<String> DEVICE =
      key("scoring.device")
          .stringType()
          .defaultValue("cpu")
          .withDescription(
              "Execution provider: cpu, cuda or cuda:N (falls back to cpu with a warning when no GPU is "
                  + "usable).");
  public static final JobOption<Double> THRESHOLD =
      key("alert.threshold")
          .doubleType(0, 1)
          .noDefaultValue()
          .withDescription(
              "The detector's threshold, a calibrated score in (0,1): 1 - the share of normal rows that may be "
                  + "flagged (0.999: one in a thousand); empty for the model card's.");
  public static final JobOption<Duration> COOLDOWN =
      key("alert.cooldown-ms")
          .millisType()
          .nonNegative()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription(
              "While an entity's alert episode lasts, a repeat alert is sent at most this often, in event "
                  + "time (ms).");
  public static final JobOption<Duration> WINDOW_TTL =
      key("window.ttl-ms")
          .millisType()
          .positive()
          .defaultValue(Duration.ofHours(1))
          .withDescription(
              "Window models: an entity's window state is dropped after this long without a record (ms).");
  public static final JobOption<Integer> PARALLELISM =
      key("parallelism")
          .intType()
          .positive()
          .defaultValue(1)
          .withDescription(
              "Parallelism of the job (one ONNX Runtime session per parallel scoring subtask).");
  public static final JobOption<Duration> CHECKPOINT_INTERVAL =
      key("checkpoint.interval-ms")
          .millisType()
          .nonNegative()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "Checkpoint interval (ms); 0 turns checkpointing off (and with it exactly-once delivery).");
  public static final JobOption<DeliveryMode> DELIVERY =
      key("delivery.guarantee")
          .enumType(DeliveryMode.class, DeliveryMode::id)
          .defaultValue(DeliveryMode.EXACTLY_ONCE)
          .withDescription(
              "Kafka sink delivery: exactly-once (transactions, needs checkpointing), at-least-once, or none.");
  public static final JobOption<String> TRANSACTIONAL_ID_PREFIX =
      key("transactional.id.prefix")
          .stringType()
          .defaultValue("vaeguard")
          .withDescription(
              "Prefix of the exactly-once sink's transactional ids; unique per job on a cluster.");

  /** All options, in --help order. */
  public static final List<JobOption<?>> ALL =
      List.of(
          BOOTSTRAP_SERVERS,
          INPUT_TOPIC,
          ALERTS_TOPIC,
          SCORES_TOPIC,
          DEAD_LETTER_TOPIC,
          GROUP_ID,
          STARTING_OFFSETS,
          MODEL_DIR,
          PRECISION,
          BATCH_SIZE,
          MAX_WAIT,
          THREADS,
          DEVICE,
          THRESHOLD,
          COOLDOWN,
          WINDOW_TTL,
          PARALLELISM,
          CHECKPOINT_INTERVAL,
          DELIVERY,
          TRANSACTIONAL_ID_PREFIX);

  /**
   * Config file keys with this prefix (or --kafka-property KEY=VALUE) pass through to Kafka's
   * clients.
   */
  public static final String KAFKA_PREFIX = "kafka.";

  private static String hostPorts(String s) {
    if (s.isEmpty() || !s.contains(":")) {
      throw new IllegalArgumentException("'" + s + "' is not host:port[,host:port...]");
    }
    return s;
  }
}
