package io.vaeguard.pipeline.config;

import java.util.List;

/** Every setting of the streaming job, with defaults and descriptions (the source of --help). */
public final class JobOptions {

  private JobOptions() {}

  public static final JobOption BOOTSTRAP_SERVERS = new JobOption("bootstrap.servers", "127.0.0.1:9092",
      "Kafka bootstrap servers, host:port[,host:port...].");
  public static final JobOption INPUT_TOPIC = new JobOption("input.topic", "observations",
      "Topic of Avro Observation records to score.");
  public static final JobOption ALERTS_TOPIC = new JobOption("alerts.topic", "alerts",
      "Topic the Avro Alert records go to.");
  public static final JobOption SCORES_TOPIC = new JobOption("scores.topic", "",
      "Topic for every record's Avro Score; empty to write none.");
  public static final JobOption DEAD_LETTER_TOPIC = new JobOption("dead-letter.topic", "dead-letters",
      "Topic for records that cannot be scored (Avro DeadLetter: raw bytes, source offset, reason).");
  public static final JobOption GROUP_ID = new JobOption("group.id", "vaeguard",
      "Kafka consumer group id of the source.");
  public static final JobOption STARTING_OFFSETS = new JobOption("starting.offsets", "committed",
      "Where to start reading when there is no checkpoint: earliest, latest, or committed (the group's "
          + "committed offsets, earliest where there are none).");
  public static final JobOption MODEL_DIR = new JobOption("model.dir", "models/default",
      "Model directory (with fp32/, int8/, ... sub-directories, or model.onnx + model.json); it must be "
          + "readable at this path on every TaskManager. 'classpath:DIR' reads a model packed in the job jar; "
          + "without models/default in the working directory the default is the copy in the jar, "
          + "classpath:models/default.");
  public static final JobOption PRECISION = new JobOption("model.precision", "",
      "Model variant to serve: fp32, int8, fp16w or int8-static; empty: the card's own for a directory "
          + "that holds one model (an optimize variant), else fp32.");
  public static final JobOption BATCH_SIZE = new JobOption("scoring.batch-size", "256",
      "A micro-batch is scored when it holds this many records ...");
  public static final JobOption MAX_WAIT = new JobOption("scoring.max-wait-ms", "10",
      "... or when its first record has waited this long (ms), whichever comes first.");
  public static final JobOption THREADS = new JobOption("scoring.threads", "1",
      "ONNX Runtime intra-op threads per scoring subtask (a subtask per task slot: keep slots x threads "
          + "<= cores).");
  public static final JobOption DEVICE = new JobOption("scoring.device", "cpu",
      "Execution provider: cpu, cuda or cuda:N (falls back to cpu with a warning when no GPU is usable).");
  public static final JobOption THRESHOLD = new JobOption("alert.threshold", "",
      "The detector's threshold, a calibrated score in (0,1): 1 - the share of normal rows that may be flagged "
          + "(0.999: one in a thousand); empty for the model card's.");
  public static final JobOption COOLDOWN = new JobOption("alert.cooldown-ms", "60000",
      "While an entity's alert episode lasts, a repeat alert is sent at most this often, in event time (ms).");
  public static final JobOption WINDOW_TTL = new JobOption("window.ttl-ms", "3600000",
      "Window models: an entity's window state is dropped after this long without a record (ms).");
  public static final JobOption PARALLELISM = new JobOption("parallelism", "1",
      "Parallelism of the job (one ONNX Runtime session per parallel scoring subtask).");
  public static final JobOption CHECKPOINT_INTERVAL = new JobOption("checkpoint.interval-ms", "10000",
      "Checkpoint interval (ms); 0 turns checkpointing off (and with it exactly-once delivery).");
  public static final JobOption DELIVERY = new JobOption("delivery.guarantee", "exactly-once",
      "Kafka sink delivery: exactly-once (transactions, needs checkpointing), at-least-once, or none.");
  public static final JobOption TRANSACTIONAL_ID_PREFIX = new JobOption("transactional.id.prefix", "vaeguard",
      "Prefix of the exactly-once sink's transactional ids; unique per job on a cluster.");

  /** All options, in --help order. */
  public static final List<JobOption> ALL = List.of(BOOTSTRAP_SERVERS, INPUT_TOPIC, ALERTS_TOPIC, SCORES_TOPIC,
      DEAD_LETTER_TOPIC, GROUP_ID, STARTING_OFFSETS, MODEL_DIR, PRECISION, BATCH_SIZE, MAX_WAIT, THREADS, DEVICE,
      THRESHOLD, COOLDOWN, WINDOW_TTL, PARALLELISM, CHECKPOINT_INTERVAL, DELIVERY, TRANSACTIONAL_ID_PREFIX);

  /** Config file keys with this prefix (or --kafka-property KEY=VALUE) pass through to Kafka's clients. */
  public static final String KAFKA_PREFIX = "kafka.";
}
