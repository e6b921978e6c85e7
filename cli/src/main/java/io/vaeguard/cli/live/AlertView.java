package io.vaeguard.cli.live;

import io.vaeguard.pipeline.generator.LabelSource;
import io.vaeguard.schema.Alert;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The live alert view: reads {@link Alert}s from a topic (read_committed, no consumer group, so it
 * commits nothing and disturbs no one), prints one line per alert ({@link AlertLines#alert}) and
 * every few seconds a tally: alerts so far, the input topic's records and rate when it is named,
 * and, given a {@link LabelSource}, how many injected anomalies were caught ({@link
 * AnomalyScoreboard}).
 *
 * <p>{@link #run()} blocks until {@link #stop()} (from another thread, e.g. a shutdown hook), a
 * maximum number of alerts or a duration; it prints a last tally on the way out.
 */
public final class AlertView {

  /**
   * What a run saw.
   *
   * @param alerts alerts printed
   * @param skipped records that did not decode as Alerts
   * @param score the last tally, or null without labels
   */
  public record Result(long alerts, long skipped, AnomalyScoreboard.Tally score) {}

  private static final Duration POLL = Duration.ofMillis(200);

  private final String bootstrapServers;
  private final String topic;
  private final String inputTopic;
  private final LabelSource labels;
  private final AnomalyScoreboard scoreboard;
  private final PrintWriter out;
  private final Duration tallyInterval;
  private final ZoneId zone;
  private final Clock clock;
  private final boolean fromBeginning;
  private final long maxAlerts;
  private final Duration duration;
  private final String flag;

  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean stopRequested;

  private long startNanos;
  private long alerts;
  private long skipped;
  private List<TopicPartition> inputPartitions = List.of();
  private long lastInputRecords = -1;
  private long lastInputNanos;

  private AlertView(Builder b) {
    this.bootstrapServers = b.bootstrapServers;
    this.topic = b.topic;
    this.inputTopic = b.inputTopic;
    this.labels = b.labels;
    this.scoreboard = new AnomalyScoreboard(b.grace);
    this.out = b.out;
    this.tallyInterval = b.tallyInterval;
    this.zone = b.zone;
    this.clock = b.clock;
    this.fromBeginning = b.fromBeginning;
    this.maxAlerts = b.maxAlerts;
    this.duration = b.duration;
    this.flag = b.bootstrapFlag;
  }

  public static Builder builder(String bootstrapServers, String topic, PrintWriter out) {
    return new Builder(bootstrapServers, topic, out);
  }

  public AnomalyScoreboard scoreboard() {
    return scoreboard;
  }

  /**
   * Reads and prints until stopped.
   *
   * @throws io.vaeguard.cli.UserError when the broker cannot be reached
   */
  public Result run() {
    startNanos = System.nanoTime();
    try {
      KafkaClients.requireReachable(bootstrapServers, flag);
      Properties props = KafkaClients.consumer(bootstrapServers, "vaeguard-alerts");
      // a view that starts before the job must not create the job's output topic
      props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
        consumer = c;
        if (stopRequested) {
          return result(null);
        }
        try {
          List<TopicPartition> partitions = awaitPartitions(c);
          c.assign(partitions);
          if (fromBeginning) {
            c.seekToBeginning(partitions);
          } else {
            c.seekToEnd(partitions);
          }
          // seeks are lazy: fix "the end" now, not at the first poll
          partitions.forEach(c::position);
          out.println(
              "alerts: reading "
                  + topic
                  + " on "
                  + bootstrapServers
                  + " from the "
                  + (fromBeginning ? "beginning" : "end")
                  + (labels == null
                      ? ""
                      : "; injected anomalies from "
                          + labels.describe()
                          + ", caught when alerted within "
                          + scoreboard.graceMillis()
                          + " ms of their end")
                  + "; Ctrl-C to stop");
          out.flush();
          loop(c);
        } catch (WakeupException e) {
          // stop() woke the consumer up
        }
        AnomalyScoreboard.Tally score;
        try {
          score = printTally(c);
        } catch (WakeupException e) {
          // stop() came between two blocking calls: its wakeup fired here, once
          score = printTally(c);
        }
        return result(score);
      } finally {
        consumer = null;
      }
    } finally {
      out.flush();
      finished.countDown();
    }
  }

  private void loop(KafkaConsumer<String, byte[]> c) {
    long nextTally = System.nanoTime() + tallyInterval.toNanos();
    while (!stopRequested && !reachedMax() && !durationOver()) {
      ConsumerRecords<String, byte[]> records = c.poll(POLL);
      for (ConsumerRecord<String, byte[]> rec : records) {
        Alert a;
        try {
          a = Alert.getDecoder().decode(rec.value());
        } catch (Exception e) {
          skipped++;
          out.println(
              "alerts: skipped the record at "
                  + rec.topic()
                  + "-"
                  + rec.partition()
                  + " offset "
                  + rec.offset()
                  + ": not an Alert ("
                  + KafkaClients.rootMessage(e)
                  + ")");
          continue;
        }
        if (!AlertLines.isResolve(a)) {
          alerts++; // a resolve event closes an episode: it is no alert and catches no anomaly
          scoreboard.alert(a.getEntityId(), a.getEventTime().toEpochMilli());
        }
        out.println(AlertLines.alert(a, zone));
        if (reachedMax()) {
          break;
        }
      }
      out.flush();
      long now = System.nanoTime();
      if (now - nextTally >= 0) {
        printTally(c);
        nextTally = now + tallyInterval.toNanos();
      }
    }
  }

  private boolean durationOver() {
    return !duration.isZero() && System.nanoTime() - startNanos >= duration.toNanos();
  }

  private boolean reachedMax() {
    return maxAlerts > 0 && alerts >= maxAlerts;
  }

  /** The topic's partitions, waiting (and saying so once) while it does not exist yet. */
  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
    boolean said = false;
    while (true) {
      List<TopicPartition> partitions = partitions(c, topic);
      if (!partitions.isEmpty()) {
        return partitions;
      }
      if (!said) {
        out.println(
            "alerts: topic "
                + topic
                + " does not exist yet on "
                + bootstrapServers
                + "; waiting for it");
        out.flush();
        said = true;
      }
      if (stopRequested || durationOver()) {
        throw new WakeupException();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WakeupException();
      }
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
    List<PartitionInfo> infos = c.partitionsFor(topic);
    return infos == null
        ? List.of()
        : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  private AnomalyScoreboard.Tally printTally(KafkaConsumer<String, byte[]> c) {
    AnomalyScoreboard.Tally score = null;
    if (labels != null) {
      scoreboard.spans(labels.spans());
      long now = scoreboard.latestAlertMillis();
      OptionalLong streamNow = labels.eventTimeNow();
      if (streamNow.isPresent()) {
        now = Math.max(now, streamNow.getAsLong());
      }
      score = scoreboard.tally(now);
    }
    long inputRecords = -1;
    double inputRate = Double.NaN;
    if (inputTopic != null) {
      inputRecords = inputRecords(c);
      long t = System.nanoTime();
      if (inputRecords >= 0 && lastInputRecords >= 0) {
        inputRate = (inputRecords - lastInputRecords) / ((t - lastInputNanos) / 1e9);
      }
      lastInputRecords = inputRecords;
      lastInputNanos = t;
    }
    out.println(
        AlertLines.tally(clock.instant(), zone, alerts, skipped, inputRecords, inputRate, score));
    out.flush();
    return score;
  }

  /** The sum of the input topic's end offsets, or -1 when it cannot be known now. */
  private long inputRecords(KafkaConsumer<String, byte[]> c) {
    try {
      if (inputPartitions.isEmpty()) {
        inputPartitions = partitions(c, inputTopic);
        if (inputPartitions.isEmpty()) {
          return -1;
        }
      }
      Map<TopicPartition, Long> ends = c.endOffsets(inputPartitions, Duration.ofSeconds(2));
      return ends.values().stream().mapToLong(Long::longValue).sum();
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      return -1;
    }
  }

  private Result result(AnomalyScoreboard.Tally score) {
    return new Result(alerts, skipped, score);
  }

  /** Ends {@link #run()} soon (it prints its last tally first); returns at once. */
  public void stop() {
    stopRequested = true;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Waits until {@link #run()} has returned, at most {@code timeout}; whether it did. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Settings; every setter checks its value. */
  public static final class Builder {
    private final String bootstrapServers;
    private final String topic;
    private final PrintWriter out;
    private String inputTopic;
    private LabelSource labels;
    private Duration grace = Duration.ofSeconds(10);
    private Duration tallyInterval = Duration.ofSeconds(5);
    private ZoneId zone = ZoneId.systemDefault();
    private Clock clock = Clock.systemUTC();
    private boolean fromBeginning = true;
    private long maxAlerts;
    private Duration duration = Duration.ZERO;
    private String bootstrapFlag = "--bootstrap-servers";

    private Builder(String bootstrapServers, String topic, PrintWriter out) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      this.topic = Objects.requireNonNull(topic, "topic");
      this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * A topic whose growth the tally reports as the input rate (the observations); none by default.
     */
    public Builder inputTopic(String topic) {
      this.inputTopic = topic;
      return this;
    }

    /** The injected anomalies to score alerts against; none by default. */
    public Builder labels(LabelSource labels) {
      this.labels = labels;
      return this;
    }

    /** How long after an anomaly's end an alert still catches it, in event time (default 10 s). */
    public Builder grace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("the grace must be >= 0, got " + grace);
      }
      this.grace = grace;
      return this;
    }

    public Builder tallyInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("the tally interval must be positive, got " + interval);
      }
      this.tallyInterval = interval;
      return this;
    }

    /** Time zone of the printed times (default the system's). */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** Clock of the tally lines' wall time. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Read the topic from its beginning (default) or only alerts that arrive from now on. */
    public Builder fromBeginning(boolean fromBeginning) {
      this.fromBeginning = fromBeginning;
      return this;
    }

    /** Stop after this many alerts; 0 (default) never. */
    public Builder maxAlerts(long max) {
      if (max < 0) {
        throw new IllegalArgumentException("the maximum number of alerts must be >= 0, got " + max);
      }
      this.maxAlerts = max;
      return this;
    }

    /** Stop after this long; zero (default) never. */
    public Builder duration(Duration duration) {
      if (duration == null || duration.isNegative()) {
        throw new IllegalArgumentException("the duration must be >= 0, got " + duration);
      }
      this.duration = duration;
      return this;
    }

    /**
     * The option that gave the address, named in connection errors (default --bootstrap-servers).
     */
    public Builder bootstrapFlag(String flag) {
      this.bootstrapFlag = Objects.requireNonNull(flag, "flag");
      return this;
    }

    public AlertView build() {
      return new AlertView(this);
    }
  }
}
