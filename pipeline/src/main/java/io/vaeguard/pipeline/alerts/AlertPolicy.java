package io.vaeguard.pipeline.alerts;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.pipeline.scoring.ScoredRow;
import io.vaeguard.pipeline.serde.AvroSpecificTypeInfo;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.FeatureShare;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns scored rows into alerts, keyed by entity:
 *
 * <ol>
 *   <li>a row is anomalous when its calibrated score is at or above the threshold (the model card's
 *       by default);
 *   <li>persistence: an entity alerts once {@code persistence} consecutive rows are anomalous (1,
 *       the default, alerts on the first);
 *   <li>cool-down: after an alert at event time t, the entity raises no further alert for rows with
 *       event time before {@code t + coolDown} (rows from before t count as within it). Measured in
 *       event time, so a replay of old data alerts as the live run did.
 * </ol>
 *
 * <p>Each {@link Alert} carries the row's scores, severity round(100 * score), the top contributing
 * features and their shares, model name and version, the threshold and detectionTime (processing
 * time). State per entity: the last alert's event time and the current run of anomalous rows,
 * both with a processing-time TTL so idle entities leave state.
 *
 * <p>With persistence 1 a row below the threshold changes nothing here, so the job sends the
 * policy only the anomalous rows ({@link #needsEveryRow()}): the hand-over to this keyed operator
 * is a network shuffle, and shipping every row cost 11-15% of the job's time. The scoring operator
 * counts the anomaly rate over all rows instead.
 *
 * <p>Metrics: counters {@code alerts} and {@code suppressed} (anomalous rows held back by cool-down
 * or persistence).
 *
 * <pre>{@code
 * AlertPolicy policy = AlertPolicy.builder(card).coolDown(Duration.ofSeconds(60)).build();
 * DataStream<ScoredRow> rows = policy.needsEveryRow() ? scored : scored.filter(ScoredRow::aboveThreshold);
 * rows.keyBy(ScoredRow::entityId).process(policy).name("alerts").uid("alerts");
 * }</pre>
 */
public final class AlertPolicy extends KeyedProcessFunction<String, ScoredRow, Alert>
    implements ResultTypeQueryable<Alert> {

  private static final long serialVersionUID = 1L;

  /** Flink type information of the alerts this emits. */
  public static final TypeInformation<Alert> ALERT_TYPE = AvroSpecificTypeInfo.forClass(Alert.class);

  public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(60);
  public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

  private final double threshold;
  private final int persistence;
  private final long coolDownMillis;
  private final Duration stateTtl;

  private transient ValueState<Long> lastAlert;
  private transient ValueState<Integer> run;
  private transient Counter alerts;
  private transient Counter suppressed;

  private AlertPolicy(Builder b) {
    this.threshold = b.threshold;
    this.persistence = b.persistence;
    this.coolDownMillis = b.coolDown.toMillis();
    this.stateTtl = b.stateTtl;
  }

  /** A policy with the card's threshold and persistence; every other setting at its default. */
  public static Builder builder(ModelCard card) {
    return new Builder().threshold(card.threshold()).persistence(card.persistence());
  }

  /** A policy with the given calibrated threshold in [0, 1]. */
  public static Builder builder(double threshold) {
    return new Builder().threshold(threshold);
  }

  /** Calibrated score at or above which a row is anomalous. */
  public double threshold() {
    return threshold;
  }

  /**
   * Whether rows below the threshold matter (persistence above 1: they break a run). When false,
   * feeding the policy only rows at or above {@link #threshold()} gives the same alerts.
   */
  public boolean needsEveryRow() {
    return persistence > 1;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Long> last = new ValueStateDescriptor<>("last-alert-event-time", Types.LONG);
    ValueStateDescriptor<Integer> runs = new ValueStateDescriptor<>("anomalous-run", Types.INT);
    if (!stateTtl.isZero()) {
      StateTtlConfig ttl = StateTtlConfig.newBuilder(stateTtl).updateTtlOnCreateAndWrite().neverReturnExpired().build();
      last.enableTimeToLive(ttl);
      runs.enableTimeToLive(ttl);
    }
    lastAlert = getRuntimeContext().getState(last);
    run = getRuntimeContext().getState(runs);
    MetricGroup group = getRuntimeContext().getMetricGroup();
    alerts = group.counter("alerts");
    suppressed = group.counter("suppressed");
  }

  @Override
  public void processElement(ScoredRow row, Context ctx, Collector<Alert> out) throws Exception {
    boolean anomalous = row.score() >= threshold;
    if (!anomalous) {
      if (persistence > 1 && run.value() != null) {
        run.clear();
      }
      return;
    }
    if (persistence > 1) {
      Integer r = run.value();
      int n = r == null ? 1 : r + 1;
      if (n <= persistence) {
        run.update(n); // capped at persistence: a long anomaly does not count on for ever
      }
      if (n < persistence) {
        suppressed.inc();
        return;
      }
    }
    Long last = lastAlert.value();
    if (last != null && row.eventTime() - last < coolDownMillis) {
      suppressed.inc();
      return;
    }
    lastAlert.update(row.eventTime());
    alerts.inc();
    out.collect(toAlert(row, ctx.timerService().currentProcessingTime()));
  }

  private Alert toAlert(ScoredRow row, long now) {
    String[] names = row.topFeatures();
    double[] shares = row.topShares();
    List<FeatureShare> top = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      top.add(new FeatureShare(names[i], shares[i]));
    }
    return Alert.newBuilder()
        .setEntityId(row.entityId())
        .setEventTime(Instant.ofEpochMilli(row.eventTime()))
        .setDetectionTime(Instant.ofEpochMilli(now))
        .setModelName(row.modelName())
        .setModelVersion(row.modelVersion())
        .setScore(row.score())
        .setSeverity((int) Math.round(100 * row.score()))
        .setReconstructionError(row.reconstructionError())
        .setKl(row.kl())
        .setThreshold(threshold)
        .setTopFeatures(top)
        .build();
  }

  @Override
  public TypeInformation<Alert> getProducedType() {
    return ALERT_TYPE;
  }

  @VisibleForTesting
  Counter alertsCounter() {
    return alerts;
  }

  /** Checks every setting; see {@link AlertPolicy} for what they mean. */
  public static final class Builder {
    private double threshold = Double.NaN;
    private int persistence = 1;
    private Duration coolDown = DEFAULT_COOL_DOWN;
    private Duration stateTtl;

    private Builder() {}

    /** Calibrated score at or above which a row is anomalous, in [0, 1]. */
    public Builder threshold(double threshold) {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException("threshold must be a calibrated score in [0, 1], got " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /** Consecutive anomalous rows of an entity before it alerts, >= 1 (default 1). */
    public Builder persistence(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("persistence must be >= 1 row, got " + rows);
      }
      this.persistence = rows;
      return this;
    }

    /** Event time after an alert during which the entity raises no other, >= 0 (default 60 s). */
    public Builder coolDown(Duration coolDown) {
      Objects.requireNonNull(coolDown, "coolDown");
      if (coolDown.isNegative()) {
        throw new IllegalArgumentException("coolDown must be >= 0, got " + coolDown);
      }
      this.coolDown = coolDown;
      return this;
    }

    /**
     * Processing time an idle entity's state survives, {@link Duration#ZERO} for ever (default: the
     * larger of 1 hour and the cool-down). Shorter than the cool-down would forget alerts early.
     */
    public Builder stateTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "stateTtl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("stateTtl must be >= 0 (0 = no TTL), got " + ttl);
      }
      this.stateTtl = ttl;
      return this;
    }

    public AlertPolicy build() {
      if (Double.isNaN(threshold)) {
        throw new IllegalStateException("AlertPolicy needs a threshold: use builder(card) or builder(threshold)");
      }
      if (stateTtl == null) {
        stateTtl = coolDown.compareTo(DEFAULT_STATE_TTL) > 0 ? coolDown : DEFAULT_STATE_TTL;
      } else if (!stateTtl.isZero() && stateTtl.compareTo(coolDown) < 0) {
        throw new IllegalArgumentException("stateTtl " + stateTtl + " is shorter than coolDown " + coolDown
            + ": entities would alert again before the cool-down ends; use stateTtl >= coolDown or 0");
      }
      return new AlertPolicy(this);
    }
  }
}
