package io.vaeguard.pipeline.scoring;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.detect.Decision;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.Flatline;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.ScoringException;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.pipeline.alerts.KeyedDetector;
import io.vaeguard.pipeline.metrics.EventTimeLagGauge;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.rows.ScoredRow;
import io.vaeguard.schema.Alert;
import java.io.IOException;
import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Scores {@link FeatureRow}s in micro-batches with one {@link VaeScorer} (one ONNX Runtime session)
 * per subtask, on the model of Flink's {@code AsyncBatchWaitOperator} (FLINK-38825, in no release
 * up to 2.3.0) but synchronous, since a CPU session run is short and in-thread.
 *
 * <p>Rows are copied into a preallocated {@code float[maxBatchSize * D]} as they arrive. The buffer
 * is scored with one {@code scorer.score(...)} call and emitted, one {@link ScoredRow} per row in
 * arrival order with the row's timestamp, when:
 *
 * <ul>
 *   <li>it holds {@code maxBatchSize} rows;
 *   <li>{@code maxWait} of processing time has passed since the first buffered row (one timer at a
 *       time; {@code maxWait = 0} scores every row at once);
 *   <li>a watermark arrives (so no buffered row falls behind the watermark it preceded);
 *   <li>before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}): the buffer is never
 *       part of a checkpoint, so on restore no row is lost or scored twice;
 *   <li>at end of input and in {@link #finish()}.
 * </ul>
 *
 * <p>Every scored row then passes through the entity's detector ({@link KeyedDetector}: the model
 * card's {@code Detector} with the entity's state in keyed state, so the operator must run on a
 * {@link KeyedStream}). The row goes out with the detector's score, decision and severity; an
 * episode event (open, repeat, resolve) goes to the side output {@link KeyedDetector#ALERTS}. Rows
 * are decided in arrival order, which per entity is the stream's order; before a checkpoint barrier
 * the operator flushes the buffer and then writes the detector's states back into keyed state, so
 * the state in a checkpoint covers exactly the rows emitted before it.
 *
 * <p>A scoring failure fails the task with the batch size and the model in the message; no row is
 * ever dropped. Metrics on the operator's group: counter {@code scored}, histograms {@code
 * batchSize} and {@code inferenceMicros}, gauges {@code modelName}, {@code modelVersion}, {@code
 * modelPrecision}, {@code eventTimeLagMs} (processing time at scoring minus the event time of the
 * last row scored), and the detector's ({@link KeyedDetector}).
 *
 * <p>Only anomalous rows and alerts carry their top contributing features; the rest carry empty
 * arrays (ranking every row's features cost more than the model in the job's profile).
 *
 * <p>Create it with {@link #builder()}; attach it with {@link #attach}.
 */
public final class MicroBatchScoringOperator extends AbstractStreamOperator<ScoredRow>
    implements OneInputStreamOperator<FeatureRow, ScoredRow>,
        BoundedOneInput,
        ProcessingTimeCallback {

  private static final long serialVersionUID = 1L;

  /** Window of the histograms: the statistics cover the last this many batches. */
  static final int HISTOGRAM_WINDOW = 1024;

  private final ScoringSettings settings;

  private transient VaeScorer scorer;
  private transient String modelLabel;
  private transient String modelName;
  private transient String modelVersion;
  private transient int inputDim;
  private transient int newestFrom; // where a row's newest inputs start in its window vector
  private transient KeyedDetector detector;
  private transient String[] featureNames;
  private transient int[] topIndices;

  // The batch being filled: preallocated in open(), reused for every batch.
  private transient float[] values;
  private transient FeatureRow[] rows;
  private transient long[] timestamps;
  private transient boolean[] hasTimestamp;
  private transient long[] enteredAt;
  private transient long[] inputs; // fingerprints of each row's newest inputs (flatline channel)
  private transient int size;
  private transient ScheduledFuture<?> timer;
  private transient StreamRecord<ScoredRow> outRecord;
  private transient StreamRecord<Alert> alertRecord;
  private transient boolean objectReuse;

  private transient Counter scored;
  private transient Histogram batchSize;
  private transient Histogram inferenceMicros;
  private transient EventTimeLagGauge eventTimeLag;

  private static final String[] NO_FEATURES = {};
  private static final double[] NO_SHARES = {};

  MicroBatchScoringOperator(
      StreamOperatorParameters<ScoredRow> parameters, ScoringSettings settings) {
    super(parameters);
    this.settings = settings;
  }

  /** A builder of the operator's factory, for {@code DataStream.transform} or {@link #attach}. */
  public static MicroBatchScoringOperatorFactory.Builder builder() {
    return MicroBatchScoringOperatorFactory.builder();
  }

  /**
   * Adds the scoring operator after {@code rows}, keyed by entity: {@code rows.transform(name,
   * ScoredRow.TYPE, factory).uid(uid)}. Its alerts are {@code
   * result.getSideOutput(KeyedDetector.ALERTS)}.
   */
  public static SingleOutputStreamOperator<ScoredRow> attach(
      KeyedStream<FeatureRow, String> rows,
      MicroBatchScoringOperatorFactory factory,
      String name,
      String uid) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(factory, "factory");
    if (name == null || name.isBlank() || uid == null || uid.isBlank()) {
      throw new IllegalArgumentException(
          "the scoring operator needs a name and a uid (savepoints map state by uid)");
    }
    return rows.transform(name, ScoredRow.TYPE, factory).uid(uid);
  }

  @Override
  public void open() throws Exception {
    super.open();
    scorer = settings.model().open(settings.scorerOptions());
    ModelCard card = scorer.card();
    modelName = card.name();
    modelVersion = card.version();
    modelLabel = modelName + " " + modelVersion + " (" + card.precision() + ")";
    inputDim = card.inputDim();
    if (getKeyedStateBackend() == null) {
      throw new IllegalStateException(
          "the scoring operator decides per entity and needs a keyed stream: attach it to "
              + "rows.keyBy(FeatureRow::entityId) (or DataStreamUtils.reinterpretAsKeyedStream when the rows are already "
              + "partitioned by entity)");
    }
    detector =
        settings.detector() != null
            ? settings.detector().copy() // its map and state handle are this operator's own
            : new KeyedDetector(Detector.of(card), KeyedDetector.DEFAULT_STATE_TTL);
    featureNames = card.features().toArray(String[]::new);
    topIndices = new int[Math.min(settings.topFeatures(), featureNames.length)];
    int max = settings.maxBatchSize();
    if ((long) max * inputDim > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxBatchSize "
              + max
              + " times the model's input width "
              + inputDim
              + " does not fit one float array; lower maxBatchSize");
    }
    values = new float[max * inputDim];
    rows = new FeatureRow[max];
    timestamps = new long[max];
    hasTimestamp = new boolean[max];
    enteredAt = new long[max];
    inputs = new long[max];
    newestFrom = inputDim - card.features().size();
    size = 0;
    outRecord = new StreamRecord<>(null);
    alertRecord = new StreamRecord<>(null);
    objectReuse = getExecutionConfig().isObjectReuseEnabled();

    MetricGroup group = getMetricGroup();
    scored = group.counter("scored");
    batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    inferenceMicros =
        group.histogram("inferenceMicros", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    String name = modelName;
    String version = modelVersion;
    String precision = card.precision();
    group.gauge("modelName", (Gauge<String>) () -> name);
    group.gauge("modelVersion", (Gauge<String>) () -> version);
    group.gauge("modelPrecision", (Gauge<String>) () -> precision);
    eventTimeLag = group.gauge("eventTimeLagMs", new EventTimeLagGauge());
    detector.open(getRuntimeContext(), this, group);
  }

  @Override
  public void processElement(StreamRecord<FeatureRow> element) throws Exception {
    FeatureRow row = element.getValue();
    float[] v = row.values();
    if (v.length != inputDim) {
      throw new IllegalArgumentException(
          "entity "
              + row.entityId()
              + ": a row of "
              + v.length
              + " values reached model "
              + modelLabel
              + ", which takes "
              + inputDim
              + " (features x window); is the window step configured for it?");
    }
    int i = size;
    System.arraycopy(v, 0, values, i * inputDim, inputDim);
    if (objectReuse && row.labels() != null) {
      // with object reuse, a network deserializer may refill the same labels map for the next
      // record
      row = new FeatureRow(row.entityId(), row.eventTime(), v, new HashMap<>(row.labels()));
    }
    rows[i] = row;
    hasTimestamp[i] = element.hasTimestamp();
    timestamps[i] = element.getTimestamp();
    long now = getProcessingTimeService().getCurrentProcessingTime();
    enteredAt[i] = now;
    inputs[i] = Flatline.fingerprint(v, newestFrom, inputDim - newestFrom);
    size = i + 1;
    if (size >= settings.maxBatchSize() || settings.maxWaitMillis() == 0) {
      flush();
    } else if (timer == null) {
      timer = getProcessingTimeService().registerTimer(now + settings.maxWaitMillis(), this);
    }
  }

  /** The max-wait timer. */
  @Override
  public void onProcessingTime(long time) throws Exception {
    timer = null;
    flush();
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    detector.writeBack(getProcessingTimeService().getCurrentProcessingTime());
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void endInput() throws Exception {
    flush();
  }

  @Override
  public void finish() throws Exception {
    flush();
    detector.writeBack(
        getProcessingTimeService().getCurrentProcessingTime()); // for the final checkpoint
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      cancelTimer();
      if (scorer != null) {
        scorer.close();
        scorer = null;
      }
    } finally {
      super.close();
    }
  }

  /** Scores, decides and emits the buffered rows, if any: one {@code scorer.score} call. */
  private void flush() throws IOException {
    cancelTimer();
    int n = size;
    if (n == 0) {
      return;
    }
    long start = System.nanoTime();
    ScoreBatch batch;
    try {
      batch = scorer.score(values, n);
    } catch (ScoringException e) {
      throw e; // carries batch size, model and ORT error code
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "scoring a batch of "
              + n
              + " rows with model "
              + modelLabel
              + " failed: "
              + e.getMessage(),
          e);
    }
    long micros = (System.nanoTime() - start) / 1_000;
    long now = getProcessingTimeService().getCurrentProcessingTime();
    long lastEventTime = rows[n - 1].eventTime();
    for (int r = 0; r < n; r++) {
      FeatureRow row = rows[r];
      rows[r] = null;
      Decision d =
          detector.decide(row.entityId(), batch.statistic(r), row.eventTime(), inputs[r], now);
      boolean alert = d.event().emits();
      String[] names = NO_FEATURES;
      double[] fractions = NO_SHARES;
      if ((d.anomalous() || alert) && topIndices.length > 0) {
        int k = batch.topFeatureIndices(r, topIndices);
        names = new String[k];
        fractions = new double[k];
        for (int j = 0; j < k; j++) {
          names[j] = featureNames[topIndices[j]];
          fractions[j] = batch.share(r, topIndices[j]);
        }
      }
      ScoredRow out =
          new ScoredRow(
              row.entityId(),
              row.eventTime(),
              d.score(),
              batch.rawScore(r),
              batch.statistic(r),
              batch.reconstructionError(r),
              batch.kl(r),
              d.severity(),
              d.anomalous(),
              false,
              names,
              fractions,
              row.labels(),
              modelName,
              modelVersion,
              enteredAt[r],
              now);
      emit(outRecord, out, r);
      output.collect(outRecord);
      if (alert) {
        emit(
            alertRecord,
            detector.alert(
                row.entityId(),
                row.eventTime(),
                now,
                modelName,
                modelVersion,
                batch.reconstructionError(r),
                batch.kl(r),
                d,
                names,
                fractions),
            r);
        output.collect(KeyedDetector.ALERTS, alertRecord);
      }
    }
    size = 0;
    eventTimeLag.update(lastEventTime, now);
    scored.inc(n);
    batchSize.update(n);
    inferenceMicros.update(micros);
  }

  /** Puts {@code value} into {@code record} with the timestamp buffered row {@code r} came with. */
  private <T> void emit(StreamRecord<T> record, T value, int r) {
    if (hasTimestamp[r]) {
      record.replace(value, timestamps[r]);
    } else {
      record.replace(value);
      record.eraseTimestamp();
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @VisibleForTesting
  int buffered() {
    return size;
  }

  @VisibleForTesting
  Histogram batchSizeHistogram() {
    return batchSize;
  }

  @VisibleForTesting
  Histogram inferenceMicrosHistogram() {
    return inferenceMicros;
  }

  @VisibleForTesting
  Counter scoredCounter() {
    return scored;
  }

  @VisibleForTesting
  public KeyedDetector keyedDetector() {
    return detector;
  }

  @VisibleForTesting
  EventTimeLagGauge eventTimeLagGauge() {
    return eventTimeLag;
  }
}
