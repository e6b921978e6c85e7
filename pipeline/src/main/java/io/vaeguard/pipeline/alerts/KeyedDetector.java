package io.vaeguard.pipeline.alerts;

import io.vaeguard.model.detect.AlertEvent;
import io.vaeguard.model.detect.Decision;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorState;
import io.vaeguard.model.detect.Severity;
import io.vaeguard.pipeline.metrics.EwmaRate;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.FeatureShare;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.OutputTag;

/**
 * The streaming side of the {@link Detector}: the entity's {@link DetectorState} in Flink's keyed
 * state (checkpointed, with a processing-time TTL so idle entities leave state), the detector's
 * metrics, and the {@link Alert} of every episode event. The offline verbs run the same detector
 * over the same rows in order, so both decide alike.
 *
 * <p>The scoring operator owns one per subtask and calls {@link #decide} for each scored row:
 * deciding where the row is scored spares the job a second operator, a copy of every row and a
 * second key-context switch (19% of the task thread when the detector ran as an operator of its
 * own, BENCHMARKS.md).
 *
 * <p>The entities' states live in a map in front of the keyed state, written back before every
 * checkpoint barrier ({@link #writeBack}): reading and writing keyed state with a TTL for every row
 * was 5.5% of the task thread on the heap backend (a TTL wrapper, a clock read and an incremental
 * clean-up step per access; on RocksDB each access is also a serialization and a JNI call). The
 * keyed state stays the truth at every checkpoint, so restore and rescaling work as with plain
 * keyed state: an entity's state is read from it the first time the entity is seen. An entity idle
 * for the state TTL starts afresh, as with per-row TTL state; the next sweep (at a barrier, or
 * every TTL) drops it from the map and clears its keyed state.
 *
 * <p>Metrics: counters {@code alerts} (open and repeat events), {@code resolved}, {@code
 * suppressed} (anomalous rows that raised no alert: within an open episode's cool-down), and the
 * gauge {@code anomalyRate} (fraction of this subtask's recent rows the detector called anomalous,
 * over about the last 1000).
 */
public final class KeyedDetector implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Flink type information of the alerts. */
  public static final TypeInformation<Alert> ALERT_TYPE = new AvroTypeInfo<>(Alert.class);

  /** The alert events: the scoring operator's side output. */
  public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", ALERT_TYPE);

  /** Flink type information of the per-entity state (a POJO type: no Kryo). */
  public static final TypeInformation<DetectorState> STATE_TYPE =
      Types.POJO(
          DetectorState.class,
          java.util.Map.ofEntries(
              java.util.Map.entry("rows", Types.LONG),
              java.util.Map.entry("smoothed", Types.DOUBLE),
              java.util.Map.entry("baseline", Types.DOUBLE),
              java.util.Map.entry("run", Types.INT),
              java.util.Map.entry("normalRun", Types.INT),
              java.util.Map.entry("inEpisode", Types.BOOLEAN),
              java.util.Map.entry("episodeStart", Types.LONG),
              java.util.Map.entry("lastAlert", Types.LONG),
              java.util.Map.entry("peakSeverity", Types.INT),
              java.util.Map.entry("lastInput", Types.LONG),
              java.util.Map.entry("flatRun", Types.INT)));

  /** The state's name in the scoring operator (uid "score"). */
  static final String STATE_NAME = "detector";

  public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

  private static final int ANOMALY_RATE_SPAN = 1000;

  private final Detector detector;
  private final Duration stateTtl;

  private transient ValueState<DetectorState> state;
  private transient KeyContext keys;
  private transient Map<String, Entity> entities;
  private transient long lastSweep;
  private transient Counter alerts;
  private transient Counter resolved;
  private transient Counter suppressed;
  private transient EwmaRate anomalyRate;

  /**
   * @param detector the model card's detector with the job's cool-down and threshold
   * @param stateTtl processing time an idle entity's state survives; {@link Duration#ZERO} for ever
   */
  public KeyedDetector(Detector detector, Duration stateTtl) {
    this.detector = Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(stateTtl, "stateTtl");
    if (stateTtl.isNegative()) {
      throw new IllegalArgumentException("stateTtl must be >= 0 (0 = no TTL), got " + stateTtl);
    }
    this.stateTtl = stateTtl;
  }

  public Detector detector() {
    return detector;
  }

  public Duration stateTtl() {
    return stateTtl;
  }

  /** One entity's state in the map, with what the write-back needs. */
  private static final class Entity {
    DetectorState state;
    long touchedAt;
    boolean dirty;

    Entity(DetectorState state, long touchedAt) {
      this.state = state;
      this.touchedAt = touchedAt;
    }
  }

  /** A fresh instance with the same detector and TTL, for one operator instance. */
  public KeyedDetector copy() {
    return new KeyedDetector(detector, stateTtl);
  }

  /**
   * Registers the keyed state and the metrics.
   *
   * @param context the runtime context of a keyed operator
   * @param keys that operator, to set the key when reading or writing back an entity's state
   */
  public void open(RuntimeContext context, KeyContext keys, MetricGroup metrics) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.entities = new HashMap<>();
    ValueStateDescriptor<DetectorState> descriptor =
        new ValueStateDescriptor<>(STATE_NAME, STATE_TYPE);
    if (!stateTtl.isZero()) {
      descriptor.enableTimeToLive(
          StateTtlConfig.newBuilder(stateTtl)
              .updateTtlOnCreateAndWrite()
              .neverReturnExpired()
              .build());
    }
    state = context.getState(descriptor);
    alerts = metrics.counter("alerts");
    resolved = metrics.counter("resolved");
    suppressed = metrics.counter("suppressed");
    anomalyRate = metrics.gauge("anomalyRate", new EwmaRate(ANOMALY_RATE_SPAN));
  }

  /**
   * Decides one row of {@code entityId} and counts it.
   *
   * @param statistic the row's statistic (the model card's detector.statistic)
   * @param eventTime the row's event time, epoch millis
   * @param inputs the fingerprint of the row's newest inputs ({@code Flatline.fingerprint})
   * @param now processing time, epoch millis (for the idle time of the entity)
   */
  public Decision decide(String entityId, double statistic, long eventTime, long inputs, long now)
      throws IOException {
    Entity e = entities.get(entityId);
    if (e == null) {
      keys.setCurrentKey(entityId);
      e = new Entity(state.value(), now);
      entities.put(entityId, e);
    } else if (!stateTtl.isZero() && now - e.touchedAt >= stateTtl.toMillis()) {
      e.state = null; // idle for the TTL: the entity starts afresh, as with per-row TTL state
    }
    Detector.Step step = detector.step(e.state, statistic, eventTime, inputs);
    e.state = step.state();
    e.touchedAt = now;
    e.dirty = true;
    Decision d = step.decision();
    anomalyRate.update(d.anomalous());
    AlertEvent event = d.event();
    if (event == AlertEvent.RESOLVE) {
      resolved.inc();
    } else if (event.emits()) {
      alerts.inc();
    } else if (d.anomalous()) {
      suppressed.inc();
    }
    if (!stateTtl.isZero() && now - lastSweep >= stateTtl.toMillis()) {
      // a job without checkpoints never calls writeBack: idle entities still leave the map
      evictIdle(now);
    }
    return d;
  }

  /**
   * Writes every entity's state changed since the last call into keyed state, and drops the
   * entities idle for the state TTL from the map. Call it before every checkpoint barrier (after
   * the last row before it is decided), so that the checkpoint holds the state of exactly the rows
   * emitted before it.
   */
  public void writeBack(long now) throws IOException {
    for (Map.Entry<String, Entity> en : entities.entrySet()) {
      Entity e = en.getValue();
      if (e.dirty) {
        keys.setCurrentKey(en.getKey());
        state.update(e.state);
        e.dirty = false;
      }
    }
    if (!stateTtl.isZero()) {
      evictIdle(now);
    }
  }

  private void evictIdle(long now) throws IOException {
    long ttl = stateTtl.toMillis();
    Iterator<Map.Entry<String, Entity>> it = entities.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Entity> en = it.next();
      Entity e = en.getValue();
      if (now - e.touchedAt >= ttl) {
        // expired: never written back (a write would give it a fresh TTL), and the copy written at
        // an earlier barrier goes too
        keys.setCurrentKey(en.getKey());
        state.clear();
        it.remove();
      }
    }
    lastSweep = now;
  }

  @VisibleForTesting
  public int entitiesInMemory() {
    return entities.size();
  }

  /**
   * The alert of an emitting decision ({@code d.event().emits()}).
   *
   * @param detectionTime processing time, epoch millis
   * @param topFeatures the row's features with the largest shares of its error, largest first
   * @param topShares their shares
   */
  public Alert alert(
      String entityId,
      long eventTime,
      long detectionTime,
      String modelName,
      String modelVersion,
      double reconstructionError,
      double kl,
      Decision d,
      String[] topFeatures,
      double[] topShares) {
    List<FeatureShare> top = new ArrayList<>(topFeatures.length);
    for (int i = 0; i < topFeatures.length; i++) {
      top.add(new FeatureShare(topFeatures[i], topShares[i]));
    }
    // A resolve event reports the episode's peak: that is the severity its incident had.
    int severity = d.event() == AlertEvent.RESOLVE ? d.peakSeverity() : d.severity();
    return Alert.newBuilder()
        .setEntityId(entityId)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .setDetectionTime(Instant.ofEpochMilli(detectionTime))
        .setModelName(modelName)
        .setModelVersion(modelVersion)
        .setScore(d.score())
        .setSeverity(severity)
        .setReconstructionError(reconstructionError)
        .setKl(kl)
        .setThreshold(detector.threshold())
        .setTopFeatures(top)
        .setEvent(d.event().name().toLowerCase(Locale.ROOT))
        .setBand(Severity.band(severity).id())
        .setEpisodeStart(Instant.ofEpochMilli(d.episodeStart()))
        .setPeakSeverity(d.peakSeverity())
        .build();
  }

  @VisibleForTesting
  public EwmaRate anomalyRateGauge() {
    return anomalyRate;
  }

  @VisibleForTesting
  public Counter alertsCounter() {
    return alerts;
  }

  @VisibleForTesting
  public Counter resolvedCounter() {
    return resolved;
  }
}
