package io.vaeguard.pipeline.generator;

import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.Reading;
import io.vaeguard.model.synth.SyntheticGenerator;
import io.vaeguard.schema.Observation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends synthetic readings ({@link SyntheticGenerator}) to a Kafka topic as Avro {@link
 * Observation}s in single-object encoding ({@link LabelledObservations}), keyed by entity id, with
 * the reading's event time in {@code eventTime} and its ground truth in {@code labels} ({@code
 * anomaly} = 0/1, {@code kind} when anomalous), paced by a {@link RatePacer}: the one synthetic
 * producer, behind {@code vaeguard generate}, the demo's generator and the Docker deployment's
 * ({@link ObservationGeneratorMain}).
 *
 * <p>Event time advances by the generator's step once per round of the entities, so it keeps pace
 * with the wall clock only when {@code rate = entities * 1000 / stepMillis}; faster, it runs ahead.
 * The Kafka record timestamp is therefore the producer's clock, not the event time (Kafka 4 brokers
 * refuse timestamps more than an hour ahead by default).
 *
 * <p>{@link #run()} blocks until {@code count} records are sent or {@link #stop()} is called from
 * another thread (Ctrl-C); meanwhile {@link #sentSpans()} and {@link #labels()} tell a live view in
 * the same JVM which anomalies were injected so far. The labels file, when asked for, lists every
 * span clipped to what was sent; it is rewritten (atomically) at each progress line and at the end.
 * A topic that is not there, or a send that fails, ends the run with a {@link Failure}.
 *
 * <p>{@link SentRecords} keeps what was sent and the spans clipped to it; {@link ProgressLines} and
 * {@link LabelsFile} report it.
 */
public final class ObservationProducer {

  /** How long the default client settings wait for a broker ({@link #kafkaSettings}). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Why a run ended early: the topic is not available, or a send failed; the Kafka client's
   * exception is the cause.
   */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String bootstrapServers;
    private final long sent;
    private final boolean topicUnavailable;

    Failure(
        String message,
        String topic,
        String bootstrapServers,
        long sent,
        boolean topicUnavailable,
        Throwable cause) {
      super(message, cause);
      this.topic = topic;
      this.bootstrapServers = bootstrapServers;
      this.sent = sent;
      this.topicUnavailable = topicUnavailable;
    }

    public String topic() {
      return topic;
    }

    public String bootstrapServers() {
      return bootstrapServers;
    }

    /** Records sent before the failure. */
    public long sent() {
      return sent;
    }

    /** Whether the topic was not available at the start (nothing was sent). */
    public boolean topicUnavailable() {
      return topicUnavailable;
    }
  }

  /**
   * What one run did.
   *
   * @param sent records handed to Kafka and flushed
   * @param anomalous records among them labelled anomaly=1
   * @param spans anomaly spans injected (clipped to what was sent)
   * @param elapsed wall time of the run
   * @param stopped whether {@link #stop()} ended it before {@code count}
   */
  public record Summary(long sent, long anomalous, int spans, Duration elapsed, boolean stopped) {
    public double ratePerSecond() {
      double s = elapsed.toNanos() / 1e9;
      return s > 0 ? sent / s : 0;
    }
  }

  private final String bootstrapServers;
  private final String topic;
  private final GeneratorConfig generatorConfig;
  private final double rate;
  private final long count;
  private final LabelsFile labelsFile; // null: none asked for
  private final PrintWriter progress;
  private final Duration progressInterval;
  private final Properties kafka;

  private final Object lock = new Object();
  private final SyntheticGenerator generator;
  private final SentRecords records;

  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile boolean started;
  private volatile boolean producing;

  private ObservationProducer(Builder b) {
    this.bootstrapServers = b.bootstrapServers;
    this.topic = b.topic;
    this.generatorConfig = b.generator;
    this.rate = b.rate;
    this.count = b.count;
    this.labelsFile = b.labelsOut == null ? null : new LabelsFile(b.labelsOut);
    this.progress = b.progress;
    this.progressInterval = b.progressInterval;
    this.kafka = kafkaSettings(b.bootstrapServers, "vaeguard-generate", DEFAULT_TIMEOUT);
    this.kafka.putAll(b.kafkaOverrides);
    this.kafka.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    this.generator = new SyntheticGenerator(generatorConfig);
    this.records = new SentRecords(generator);
  }

  public static Builder builder(String bootstrapServers, String topic, GeneratorConfig generator) {
    return new Builder(bootstrapServers, topic, generator);
  }

  /**
   * Producer settings for short-lived interactive use: String keys, byte[] values (Avro
   * single-object encoding), acks=all, idempotent, lz4, linger 5 ms, and {@code timeout} for
   * metadata and requests, so that a broker that is not there fails a send within seconds rather
   * than after a minute of retries.
   */
  public static Properties kafkaSettings(
      String bootstrapServers, String clientId, Duration timeout) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "100");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    // must be >= linger.ms + request.timeout.ms
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(3 * timeout.toMillis()));
    return p;
  }

  /**
   * Sends until {@code count} records are sent or {@link #stop()} is called; writes the labels file
   * at the end in every case. Whether a broker answers at all is the caller's to check first (the
   * CLI does, for a one-line error within seconds); without one, the topic check fails after the
   * client's {@code max.block.ms}.
   *
   * @throws Failure when the topic is not available or a send fails
   */
  public Summary run() {
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException("this ObservationProducer has already run");
      }
      started = true;
    }
    long t0 = System.nanoTime();
    try {
      KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(kafka, new StringSerializer(), new ByteArraySerializer());
      try {
        requireTopic(producer);
        producing = true;
        produce(producer, t0);
        producer.flush();
        throwIfFailed();
      } finally {
        producer.close(Duration.ofSeconds(5));
      }
      throwIfFailed();
      SentRecords.Counts c = records.counts();
      return new Summary(
          c.sent(),
          c.anomalous(),
          c.spans(),
          Duration.ofNanos(System.nanoTime() - t0),
          stopRequested && (count == 0 || c.sent() < count));
    } finally {
      try {
        if (producing) {
          writeLabels();
        }
      } finally {
        finished.countDown();
      }
    }
  }

  private void requireTopic(KafkaProducer<String, byte[]> producer) {
    try {
      producer.partitionsFor(topic);
    } catch (KafkaException e) {
      throw new Failure(
          "topic " + topic + " is not available on " + bootstrapServers,
          topic,
          bootstrapServers,
          0,
          true,
          e);
    }
  }

  private void produce(KafkaProducer<String, byte[]> producer, long t0) {
    RatePacer pacer = new RatePacer(rate);
    ProgressLines lines =
        progress == null ? null : new ProgressLines(progress, topic, progressInterval, t0);
    while (!stopRequested && (count == 0 || sentCount() < count)) {
      throwIfFailed();
      try {
        pacer.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopRequested = true;
        break;
      }
      Reading r = generator.next();
      if (r.isAnomalous()) {
        records.injected(generator.anomalySpans());
      }
      byte[] value = LabelledObservations.encode(LabelledObservations.of(r));
      try {
        // the record timestamp stays the producer's clock: event time may run ahead of it (more
        // records a second than entities per step), and brokers refuse timestamps over an hour
        // ahead
        producer.send(
            new ProducerRecord<>(topic, r.entityId(), value),
            (metadata, e) -> {
              if (e != null) {
                sendFailure.compareAndSet(null, e);
              }
            });
      } catch (KafkaException e) {
        sendFailure.compareAndSet(null, e);
        throwIfFailed();
      }
      records.sent(r);
      long now = System.nanoTime();
      if (lines != null && lines.due(now)) {
        lines.print(now, records.counts());
        writeLabels();
      }
    }
  }

  private void throwIfFailed() {
    Exception e = sendFailure.get();
    if (e != null) {
      long sent = sentCount();
      throw new Failure(
          String.format(
              Locale.ROOT,
              "sending to topic %s on %s failed after %,d records",
              topic,
              bootstrapServers,
              sent),
          topic,
          bootstrapServers,
          sent,
          false,
          e);
    }
  }

  /** Asks {@link #run()} to stop after the record it is sending; returns at once. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Waits until {@link #run()} has ended (labels written), at most {@code timeout}.
   *
   * @return whether it ended in time
   */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public long sentCount() {
    return records.count();
  }

  /** The event time of the latest record sent, if any. */
  public OptionalLong lastEventTimeMillis() {
    return records.lastEventTimeMillis();
  }

  /** Every span injected so far, each clipped to the last record sent for its entity. */
  public List<AnomalySpan> sentSpans() {
    return records.spans();
  }

  /** The injected spans, for a live alert view in the same JVM. */
  public LabelSource labels() {
    return LabelSource.of(
        "the generator's " + topic + " stream", this::sentSpans, this::lastEventTimeMillis);
  }

  /**
   * Writes the labels file now (when one was asked for): a temporary file moved over the old one,
   * so a reader never sees half a file. Safe from any thread, e.g. a shutdown hook.
   */
  public void writeLabels() {
    if (labelsFile != null) {
      labelsFile.write(this::sentSpans);
    }
  }

  /** Settings of one run; every setter checks its value. */
  public static final class Builder {
    private final String bootstrapServers;
    private final String topic;
    private final GeneratorConfig generator;
    private double rate = 100;
    private long count;
    private Path labelsOut;
    private PrintWriter progress;
    private Duration progressInterval = Duration.ofSeconds(5);
    private final Properties kafkaOverrides = new Properties();

    private Builder(String bootstrapServers, String topic, GeneratorConfig generator) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      this.topic = Objects.requireNonNull(topic, "topic");
      this.generator = Objects.requireNonNull(generator, "generator");
      if (topic.isBlank()) {
        throw new IllegalArgumentException("the topic name is empty");
      }
    }

    /**
     * Records a second, all entities together; 0 sends as fast as the producer can (default 100).
     */
    public Builder rate(double perSecond) {
      new RatePacer(perSecond); // checks it
      this.rate = perSecond;
      return this;
    }

    /** Records in all; 0 (the default) sends until {@link ObservationProducer#stop()}. */
    public Builder count(long count) {
      if (count < 0) {
        throw new IllegalArgumentException("count must be >= 0 (0: until stopped), got " + count);
      }
      this.count = count;
      return this;
    }

    /** Where to write the injected spans (entity, start, end, kind, channels); none by default. */
    public Builder labelsOut(Path file) {
      this.labelsOut = file;
      return this;
    }

    /** Where progress lines go (stderr for the CLI); none by default. */
    public Builder progress(PrintWriter out) {
      this.progress = out;
      return this;
    }

    public Builder progressInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(
            "the progress interval must be positive, got " + interval);
      }
      this.progressInterval = interval;
      return this;
    }

    /**
     * A Kafka producer setting over the defaults ({@link #kafkaSettings} with {@link
     * #DEFAULT_TIMEOUT}), e.g. Kafka's own longer timeouts for an unattended generator. The
     * serializers are the producer's own.
     */
    public Builder kafkaSetting(String key, String value) {
      kafkaOverrides.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public ObservationProducer build() {
      return new ObservationProducer(this);
    }
  }
}
