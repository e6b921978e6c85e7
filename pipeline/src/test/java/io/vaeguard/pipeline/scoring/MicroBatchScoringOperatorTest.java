package io.vaeguard.pipeline.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.scorer.FeatureContribution;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.pipeline.FlinkTypes;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.rows.ScoredRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroBatchScoringOperatorTest {

  /** The shipped default model (8 features, window 1), relative to the pipeline module. */
  private static final Path MODEL = Path.of("../models/default");

  private static final ModelCard CARD = ModelRef.directory(MODEL, Precision.FP32).readCard();

  private final List<OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow>> open =
      new ArrayList<>();

  @AfterEach
  void closeHarnesses() throws Exception {
    for (var h : open) {
      h.close();
    }
  }

  private OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> harness(
      int maxBatch, Duration maxWait) throws Exception {
    return harness(factory(maxBatch, maxWait), null);
  }

  private static MicroBatchScoringOperatorFactory factory(int maxBatch, Duration maxWait) {
    return MicroBatchScoringOperator.builder()
        .modelDirectory(MODEL, Precision.FP32)
        .maxBatchSize(maxBatch)
        .maxWait(maxWait)
        .build();
  }

  private OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> harness(
      MicroBatchScoringOperatorFactory factory, OperatorSubtaskState restore) throws Exception {
    var h = keyed(factory);
    h.setup(FlinkTypes.serializer(ScoredRow.TYPE));
    if (restore != null) {
      h.initializeState(restore);
    }
    h.open();
    open.add(h);
    return h;
  }

  /** The operator decides per entity: it runs keyed, as in the job. */
  static OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> keyed(
      MicroBatchScoringOperatorFactory factory) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        factory, FeatureRow::entityId, Types.STRING, FlinkTypes.serializer(FeatureRow.TYPE));
  }

  private static MicroBatchScoringOperator operator(
      OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> h) {
    return (MicroBatchScoringOperator) h.getOneInputOperator();
  }

  private static int timers(OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> h) {
    return h.getProcessingTimeService().getNumActiveTimers();
  }

  /** Row i: each feature near its training mean, row 4 far off (an anomaly). */
  private static FeatureRow row(int i) {
    int f = CARD.features().size();
    float[] v = new float[f];
    for (int j = 0; j < f; j++) {
      double z = i == 4 ? 6.0 : 0.5 * Math.sin(1.7 * i + j);
      v[j] = (float) (CARD.scaler().mean()[j] + z * CARD.scaler().std()[j]);
    }
    return new FeatureRow("e" + (i % 2), 1_000L * i, v, i == 4 ? Map.of("anomaly", "1") : null);
  }

  private static void process(
      OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> h, int from, int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      h.processElement(row(i), 10_000L + i);
    }
  }

  @Test
  void flushesWhenTheBatchIsFull() throws Exception {
    var h = harness(3, Duration.ofMillis(10));
    process(h, 0, 2);
    assertThat(h.extractOutputValues()).isEmpty();
    assertThat(operator(h).buffered()).isEqualTo(2);
    assertThat(timers(h)).isEqualTo(1);

    process(h, 2, 3);
    assertThat(h.extractOutputValues())
        .extracting(ScoredRow::eventTime)
        .containsExactly(0L, 1_000L, 2_000L);
    assertThat(operator(h).buffered()).isZero();
    assertThat(timers(h)).as("the max-wait timer is cancelled by the flush").isZero();
    assertThat(operator(h).scoredCounter().getCount()).isEqualTo(3);
  }

  @Test
  void flushesAPartialBatchWhenMaxWaitPasses() throws Exception {
    var h = harness(3, Duration.ofMillis(10));
    h.setProcessingTime(100);
    process(h, 0, 2);
    assertThat(timers(h)).as("one timer, for the first row").isEqualTo(1);
    h.setProcessingTime(109);
    assertThat(h.extractOutputValues()).isEmpty();

    h.setProcessingTime(110);
    List<ScoredRow> out = h.extractOutputValues();
    assertThat(out).hasSize(2);
    assertThat(out)
        .allSatisfy(
            r -> {
              assertThat(r.enteredAt()).isEqualTo(100);
              assertThat(r.scoredAt()).isEqualTo(110);
            });
    assertThat(operator(h).eventTimeLagGauge().getValue()).isEqualTo(110 - 1_000L);

    // the next row starts a new wait
    process(h, 2, 3);
    assertThat(timers(h)).isEqualTo(1);
    h.setProcessingTime(120);
    assertThat(h.extractOutputValues()).hasSize(3);
    assertThat(operator(h).batchSizeHistogram().getCount()).isEqualTo(2);
    assertThat(operator(h).batchSizeHistogram().getStatistics().getMin()).isEqualTo(1);
    assertThat(operator(h).batchSizeHistogram().getStatistics().getMax()).isEqualTo(2);
  }

  @Test
  void batchSizeHistogramShowsTheBatches() throws Exception {
    var h = harness(3, Duration.ofMillis(10));
    process(h, 0, 7); // 3 + 3 by size, 1 left
    h.setProcessingTime(h.getProcessingTime() + 10);
    assertThat(h.extractOutputValues()).hasSize(7);
    var stats = operator(h).batchSizeHistogram().getStatistics();
    assertThat(operator(h).batchSizeHistogram().getCount()).isEqualTo(3);
    assertThat(stats.getValues()).containsExactly(3L, 3L, 1L);
    assertThat(operator(h).inferenceMicrosHistogram().getCount()).isEqualTo(3);
  }

  @Test
  void everyCheckpointBarrierFlushesTheBuffer() throws Exception {
    var h = harness(100, Duration.ofSeconds(60));
    process(h, 0, 2);
    assertThat(h.extractOutputValues()).isEmpty();

    h.prepareSnapshotPreBarrier(1);
    assertThat(h.extractOutputValues()).hasSize(2);
    assertThat(operator(h).buffered()).isZero();
    assertThat(timers(h)).isZero();
    OperatorSubtaskState state = h.snapshot(1, 1);

    // Restored from that checkpoint, the operator has nothing to replay: nothing scored twice.
    var restored = harness(factory(100, Duration.ofSeconds(60)), state);
    assertThat(operator(restored).buffered()).isZero();
    restored.endInput();
    assertThat(restored.extractOutputValues()).isEmpty();
  }

  @Test
  void endOfInputAndCloseFlush() throws Exception {
    var h = harness(100, Duration.ofSeconds(60));
    process(h, 0, 2);
    h.endInput();
    assertThat(h.extractOutputValues()).hasSize(2);

    var g = keyed(factory(100, Duration.ofSeconds(60)));
    g.setup(FlinkTypes.serializer(ScoredRow.TYPE));
    g.open();
    process(g, 0, 3);
    assertThat(g.extractOutputValues()).isEmpty();
    g.close(); // finish() then close()
    assertThat(g.extractOutputValues()).hasSize(3);
  }

  @Test
  void aWatermarkFlushesTheRowsBeforeIt() throws Exception {
    var h = harness(100, Duration.ofSeconds(60));
    process(h, 0, 2);
    h.processWatermark(new Watermark(10_001L));
    List<Object> out = new ArrayList<>(h.getOutput());
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isInstanceOf(StreamRecord.class);
    assertThat(out.get(1)).isInstanceOf(StreamRecord.class);
    assertThat(out.get(2)).isEqualTo(new Watermark(10_001L));
  }

  @Test
  void maxWaitZeroScoresEveryRowAtOnce() throws Exception {
    var h = harness(100, Duration.ZERO);
    process(h, 0, 2);
    assertThat(h.extractOutputValues()).hasSize(2);
    assertThat(timers(h)).isZero();
  }

  @Test
  void scoresMatchADirectScorerCallAndKeepTimestampsAndLabels() throws Exception {
    var h = harness(3, Duration.ofMillis(10));
    process(h, 0, 5);
    h.setProcessingTime(h.getProcessingTime() + 10);
    List<StreamRecord<? extends ScoredRow>> out = h.extractOutputStreamRecords();
    assertThat(out).hasSize(5);

    int d = CARD.inputDim();
    float[] all = new float[5 * d];
    for (int i = 0; i < 5; i++) {
      System.arraycopy(row(i).values(), 0, all, i * d, d);
    }
    try (VaeScorer scorer = VaeScorer.open(MODEL, Precision.FP32, ScorerOptions.defaults())) {
      ScoreBatch expected = scorer.score(all, 5);
      for (int i = 0; i < 5; i++) {
        ScoredRow r = out.get(i).getValue();
        assertThat(out.get(i).getTimestamp()).isEqualTo(10_000L + i);
        assertThat(r.entityId()).isEqualTo("e" + (i % 2));
        assertThat(r.eventTime()).isEqualTo(1_000L * i);
        assertThat(r.reconstructionError())
            .isCloseTo(expected.reconstructionError(i), within(1e-6));
        assertThat(r.kl()).isCloseTo(expected.kl(i), within(1e-5));
        assertThat(r.rawScore()).isCloseTo(expected.rawScore(i), within(1e-6));
        assertThat(r.statistic()).isCloseTo(expected.statistic(i), within(1e-6));
        assertThat(r.warmingUp()).isFalse();
        if (r.aboveThreshold()) {
          List<FeatureContribution> top = expected.topFeatures(i, 3);
          assertThat(r.topFeatures())
              .containsExactly(
                  top.stream().map(FeatureContribution::feature).toArray(String[]::new));
          assertThat(r.topShares()).hasSize(3);
          for (int k = 0; k < 3; k++) {
            assertThat(r.topShares()[k]).isCloseTo(top.get(k).share(), within(1e-6));
          }
        } else {
          assertThat(r.topFeatures()).as("normal rows are not explained").isEmpty();
          assertThat(r.topShares()).isEmpty();
        }
        assertThat(r.modelName()).isEqualTo(CARD.name());
        assertThat(r.modelVersion()).isEqualTo(CARD.version());
      }
    }
    ScoredRow anomaly = out.get(4).getValue();
    assertThat(anomaly.labels()).containsEntry("anomaly", "1");
    assertThat(anomaly.aboveThreshold()).as("the far-off row is anomalous").isTrue();
    assertThat(anomaly.severity()).isBetween(1, 100);
    assertThat(out.get(0).getValue().aboveThreshold()).isFalse();
    assertThat(out.get(0).getValue().severity()).isZero();
    assertThat(anomaly.score()).isGreaterThan(out.get(0).getValue().score());
    assertThat(out.get(0).getValue().labels()).isNull();
  }

  @Test
  void withoutAKeyedStreamItSaysHowToAttachIt() throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<>(
            factory(3, Duration.ofMillis(10)), FlinkTypes.serializer(FeatureRow.TYPE));
    assertThatThrownBy(
            () -> {
              h.setup(FlinkTypes.serializer(ScoredRow.TYPE));
              h.open();
            })
        .hasMessageContaining("needs a keyed stream")
        .hasMessageContaining("keyBy(FeatureRow::entityId)");
  }

  @Test
  void aRowOfTheWrongWidthFailsWithTheFix() throws Exception {
    var h = harness(3, Duration.ofMillis(10));
    assertThatThrownBy(() -> h.processElement(new FeatureRow("e", 1, new float[3], null), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a row of 3 values")
        .hasMessageContaining("takes " + CARD.inputDim())
        .hasMessageContaining("window");
  }

  @Test
  void aScoringFailureFailsTheTaskWithBatchSizeAndModel() throws Exception {
    var h = harness(2, Duration.ofMillis(10));
    float[] bad = row(0).values().clone();
    bad[1] = Float.NaN;
    h.processElement(row(1), 1);
    assertThatThrownBy(() -> h.processElement(new FeatureRow("e", 1, bad, null), 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("batch of 2 rows")
        .hasMessageContaining(CARD.name() + " " + CARD.version());
    assertThat(h.extractOutputValues()).as("nothing emitted from a failed batch").isEmpty();
    // A failed task is closed without finish(); the harness's close() would finish (and fail)
    // again.
    open.remove(h);
    h.getOneInputOperator().close();
  }

  @Test
  void theBuilderChecksItsArguments() {
    assertThatThrownBy(() -> MicroBatchScoringOperator.builder().maxBatchSize(0))
        .hasMessageContaining("maxBatchSize must be >= 1");
    assertThatThrownBy(() -> MicroBatchScoringOperator.builder().maxWait(Duration.ofMillis(-1)))
        .hasMessageContaining("maxWait must be >= 0");
    assertThatThrownBy(
            () ->
                MicroBatchScoringOperator.builder()
                    .maxWait(Duration.ofNanos(10))
                    .modelDirectory(MODEL, Precision.FP32)
                    .build())
        .hasMessageContaining("timer resolution");
    assertThatThrownBy(() -> MicroBatchScoringOperator.builder().topFeatures(-1))
        .hasMessageContaining("topFeatures");
    assertThatThrownBy(() -> MicroBatchScoringOperator.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a model");
    ScoringSettings s = factory(7, Duration.ofMillis(3)).settings();
    assertThat(s.maxBatchSize()).isEqualTo(7);
    assertThat(s.maxWaitMillis()).isEqualTo(3);
    assertThat(s.topFeatures()).isEqualTo(3);
    assertThat(s.model().location()).isEqualTo(MODEL.toAbsolutePath().normalize().toString());
  }

  @Test
  void loadsAModelFromTheClasspathToo() {
    // surefire runs with the module dir as working dir; the model is not on the test classpath, so
    // the message must say where it looked
    assertThatThrownBy(() -> ModelRef.classpath("no/such/model", Precision.FP32).readCard())
        .hasMessageContaining("no/such/model/model.json");
  }
}
