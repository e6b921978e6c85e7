package io.vaeguard.pipeline.alerts;

import io.vaeguard.model.detect.AlertEvent;
import io.vaeguard.model.detect.Decision;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorState;
import io.vaeguard.model.detect.Severity;
import io.vaeguard.pipeline.metrics.EwmaRate;
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
import org.apache.flink.util.OutputTag;

/**
 * The streaming side of the {@link Detector}: keyed by entity, it runs every scored row of the
 * entity through the model card's detector, with the entity's {@link DetectorState} in Flink's
 * keyed state (checkpointed, with a processing-time TTL so idle entities leave state). The offline
 * verbs run the same detector over the same rows in order, so both decide alike.
 *
 * <p>Main output: every row with the detector's score, decision and severity (for the scores
 * topic). Side output {@link #ALERTS}: an {@link Alert} for every episode event (open, repeat after
 * the cool-down, resolve).
 *
 * <p>Metrics: counters {@code alerts} (open and repeat events), {@code resolved}, {@code
 * suppressed} (anomalous rows that raised no alert: within an open episode's cool-down), and the
 * gauge {@code anomalyRate} (fraction of this subtask's recent rows the detector called anomalous,
 * over about the last 1000).
 *
 * <pre>{@code
 * DetectorFunction detector = new DetectorFunction(Detector.of(card, coolDown, Double.NaN), Duration.ofHours(1));
 * SingleOutputStreamOperator<ScoredRow> decided = keyedScores.process(detector).uid("detector");
 * decided.getSideOutput(DetectorFunction.ALERTS).sinkTo(alertSink);
 * }</pre>
 */
public final class DetectorFunction extends KeyedProcessFunction<String, ScoredRow, ScoredRow>
    implements ResultTypeQueryable<ScoredRow> {

  private static final long serialVersionUID = 1L;

  /** Flink type information of the alerts. */
  public static final TypeInformation<Alert> ALERT_TYPE = AvroSpecificTypeInfo.forClass(Alert.class);

  /** The alert events. */
  public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", ALERT_TYPE);

  /** Flink type information of the per-entity state (a POJO type: no Kryo). */
  public static final TypeInformation<DetectorState> STATE_TYPE = Types.POJO(DetectorState.class, java.util.Map.of(
      "rows", Types.LONG, "smoothed", Types.DOUBLE, "baseline", Types.DOUBLE, "run", Types.INT, "normalRun", Types.INT,
      "inEpisode", Types.BOOLEAN, "episodeStart", Types.LONG, "lastAlert", Types.LONG, "peakSeverity", Types.INT));

  public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

  private static final int ANOMALY_RATE_SPAN = 1000;

  private final Detector detector;
  private final Duration stateTtl;

  private transient ValueState<DetectorState> state;
  private transient Counter alerts;
  private transient Counter resolved;
  private transient Counter suppressed;
  private transient EwmaRate anomalyRate;

  /**
   * @param detector the model card's detector with the job's cool-down and threshold
   * @param stateTtl processing time an idle entity's state survives; {@link Duration#ZERO} for ever
   */
  public DetectorFunction(Detector detector, Duration stateTtl) {
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

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<DetectorState> descriptor = new ValueStateDescriptor<>("detector", STATE_TYPE);
    if (!stateTtl.isZero()) {
      descriptor.enableTimeToLive(
          StateTtlConfig.newBuilder(stateTtl).updateTtlOnCreateAndWrite().neverReturnExpired().build());
    }
    state = getRuntimeContext().getState(descriptor);
    MetricGroup group = getRuntimeContext().getMetricGroup();
    alerts = group.counter("alerts");
    resolved = group.counter("resolved");
    suppressed = group.counter("suppressed");
    anomalyRate = group.gauge("anomalyRate", new EwmaRate(ANOMALY_RATE_SPAN));
  }

  @Override
  public void processElement(ScoredRow row, Context ctx, Collector<ScoredRow> out) throws Exception {
    Detector.Step step = detector.step(state.value(), row.statistic(), row.eventTime());
    state.update(step.state());
    Decision d = step.decision();
    anomalyRate.update(d.anomalous());
    out.collect(row.withDecision(d.score(), d.anomalous(), d.severity()));
    AlertEvent event = d.event();
    if (event.emits()) {
      if (event == AlertEvent.RESOLVE) {
        resolved.inc();
      } else {
        alerts.inc();
      }
      ctx.output(ALERTS, toAlert(row, d, ctx.timerService().currentProcessingTime()));
    } else if (d.anomalous()) {
      suppressed.inc();
    }
  }

  private Alert toAlert(ScoredRow row, Decision d, long now) {
    String[] names = row.topFeatures();
    double[] shares = row.topShares();
    List<FeatureShare> top = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      top.add(new FeatureShare(names[i], shares[i]));
    }
    // A resolve event reports the episode's peak: that is the severity its incident had.
    int severity = d.event() == AlertEvent.RESOLVE ? d.peakSeverity() : d.severity();
    return Alert.newBuilder()
        .setEntityId(row.entityId())
        .setEventTime(Instant.ofEpochMilli(row.eventTime()))
        .setDetectionTime(Instant.ofEpochMilli(now))
        .setModelName(row.modelName())
        .setModelVersion(row.modelVersion())
        .setScore(d.score())
        .setSeverity(severity)
        .setReconstructionError(row.reconstructionError())
        .setKl(row.kl())
        .setThreshold(detector.threshold())
        .setTopFeatures(top)
        .setEvent(d.event().name().toLowerCase(java.util.Locale.ROOT))
        .setBand(Severity.band(severity).id())
        .setEpisodeStart(Instant.ofEpochMilli(d.episodeStart()))
        .setPeakSeverity(d.peakSeverity())
        .build();
  }

  @Override
  public TypeInformation<ScoredRow> getProducedType() {
    return ScoredRow.TYPE;
  }

  @VisibleForTesting
  EwmaRate anomalyRateGauge() {
    return anomalyRate;
  }

  @VisibleForTesting
  Counter alertsCounter() {
    return alerts;
  }
}
