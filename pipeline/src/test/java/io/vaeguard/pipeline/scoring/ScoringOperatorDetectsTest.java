package io.vaeguard.pipeline.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.detect.Decision;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorState;
import io.vaeguard.model.detect.Flatline;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.pipeline.FlinkTypes;
import io.vaeguard.pipeline.alerts.KeyedDetector;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.rows.ScoredRow;
import io.vaeguard.schema.Alert;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The scoring operator's second job: every row through the entity's detector, alerts on the side.
 */
class ScoringOperatorDetectsTest {

  private static final Path MODEL = Path.of("../models/default");
  private static final ModelCard CARD = ModelRef.directory(MODEL, Precision.FP32).readCard();
  private static final Duration COOL_DOWN = Duration.ofSeconds(5);

  /** The card's detector with the flatline channel on (the shipped card predates it): 5 repeats. */
  private static final Detector DETECTOR =
      Detector.of(
          CARD.withDetector(
              CARD.detector().withFlatlineAfter(5),
              CARD.calibration(),
              CARD.threshold(),
              CARD.thresholdRule(),
              CARD.persistence()),
          COOL_DOWN,
          Double.NaN);

  private static MicroBatchScoringOperatorFactory factory(Duration stateTtl) {
    return MicroBatchScoringOperator.builder()
        .modelDirectory(MODEL, Precision.FP32)
        .maxBatchSize(4)
        .maxWait(Duration.ofMillis(10))
        .detector(DETECTOR, stateTtl)
        .build();
  }

  private static OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> open(
      OperatorSubtaskState restore) throws Exception {
    return open(restore, Duration.ofHours(1));
  }

  private static OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> open(
      OperatorSubtaskState restore, Duration stateTtl) throws Exception {
    var h = MicroBatchScoringOperatorTest.keyed(factory(stateTtl));
    h.setup(FlinkTypes.serializer(ScoredRow.TYPE));
    if (restore != null) {
      h.initializeState(restore);
    }
    h.open();
    return h;
  }

  /**
   * Every feature {@code z} standard deviations from its training mean, with a little per-feature
   * wobble.
   */
  private static FeatureRow row(String entity, int i, double z) {
    int f = CARD.features().size();
    float[] v = new float[f];
    for (int j = 0; j < f; j++) {
      double dz = z + 0.3 * Math.sin(1.3 * i + j);
      v[j] = (float) (CARD.scaler().mean()[j] + dz * CARD.scaler().std()[j]);
    }
    return new FeatureRow(entity, 1_000L * i, v, null);
  }

  /**
   * Normal rows, three far off (rows 3-5), then normal rows until well after the episode resolves.
   */
  private static List<FeatureRow> episode(String entity) {
    List<FeatureRow> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rows.add(row(entity, i, i >= 3 && i <= 5 ? 8.0 : 0.0));
    }
    return rows;
  }

  /**
   * What the detector decides offline: one scorer call for all rows, then each entity's rows in
   * order.
   */
  private static List<Decision> offline(List<FeatureRow> rows) {
    int d = CARD.inputDim();
    float[] all = new float[rows.size() * d];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).values(), 0, all, i * d, d);
    }
    Detector detector = DETECTOR;
    Map<String, DetectorState> states = new HashMap<>();
    List<Decision> out = new ArrayList<>();
    try (VaeScorer scorer = VaeScorer.open(MODEL, Precision.FP32, ScorerOptions.defaults())) {
      ScoreBatch batch = scorer.score(all, rows.size());
      for (int i = 0; i < rows.size(); i++) {
        FeatureRow r = rows.get(i);
        Detector.Step step =
            detector.step(
                states.get(r.entityId()),
                batch.statistic(i),
                r.eventTime(),
                Flatline.fingerprint(r.values(), 0, r.values().length));
        states.put(r.entityId(), step.state());
        out.add(step.decision());
      }
    }
    return out;
  }

  private static List<String> events(List<Decision> decisions) {
    return decisions.stream()
        .filter(d -> d.event().emits())
        .map(d -> d.event().name().toLowerCase(Locale.ROOT))
        .toList();
  }

  private static List<Alert> alerts(OneInputStreamOperatorTestHarness<FeatureRow, ScoredRow> h) {
    List<Alert> out = new ArrayList<>();
    var q = h.getSideOutput(KeyedDetector.ALERTS);
    if (q != null) {
      q.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  @Test
  void decidesEveryRowAsTheOfflineDetectorDoesAndSendsEpisodeEvents() throws Exception {
    List<FeatureRow> rows = episode("p1");
    List<Decision> expected = offline(rows);
    assertThat(events(expected)).as("the rows make one episode").containsExactly("open", "resolve");
    try (var h = open(null)) {
      h.setProcessingTime(777);
      for (FeatureRow r : rows) {
        h.processElement(r, r.eventTime());
      }
      h.endInput();
      List<ScoredRow> out = h.extractOutputValues();
      assertThat(out).hasSize(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        assertThat(out.get(i).score()).as("row %d", i).isEqualTo(expected.get(i).score());
        assertThat(out.get(i).aboveThreshold())
            .as("row %d", i)
            .isEqualTo(expected.get(i).anomalous());
        assertThat(out.get(i).severity()).as("row %d", i).isEqualTo(expected.get(i).severity());
        boolean explained = expected.get(i).anomalous() || expected.get(i).event().emits();
        assertThat(out.get(i).topFeatures())
            .as("row %d: explained only when anomalous or alerting", i)
            .hasSize(explained ? 3 : 0);
      }
      List<Alert> alerts = alerts(h);
      assertThat(alerts)
          .extracting(a -> a.getEvent().toString())
          .containsExactly("open", "resolve");
      Alert open = alerts.get(0);
      assertThat(open.getEventTime()).isEqualTo(Instant.ofEpochMilli(3_000));
      assertThat(open.getEpisodeStart()).isEqualTo(Instant.ofEpochMilli(3_000));
      assertThat(open.getDetectionTime()).isEqualTo(Instant.ofEpochMilli(777));
      assertThat(open.getThreshold()).isEqualTo(CARD.threshold());
      assertThat(open.getSeverity()).isBetween(1, 100);
      assertThat(open.getBand().toString()).isIn("warning", "minor", "major", "critical");
      assertThat(open.getTopFeatures()).hasSize(3);
      assertThat(open.getModelName().toString()).isEqualTo(CARD.name());
      Alert resolve = alerts.get(1);
      assertThat(resolve.getEpisodeStart()).isEqualTo(Instant.ofEpochMilli(3_000));
      assertThat(resolve.getSeverity())
          .as("a resolve carries the episode's peak")
          .isEqualTo(resolve.getPeakSeverity())
          .isGreaterThanOrEqualTo(open.getSeverity());
      var operator = (MicroBatchScoringOperator) h.getOneInputOperator();
      assertThat(operator.keyedDetector().alertsCounter().getCount()).isEqualTo(1);
      assertThat(operator.keyedDetector().resolvedCounter().getCount()).isEqualTo(1);
    }
  }

  @Test
  void entityStateSurvivesACheckpointAndRestore() throws Exception {
    List<FeatureRow> rows = episode("p1");
    List<Decision> expected = offline(rows);
    OperatorSubtaskState snapshot;
    try (var h = open(null)) {
      for (int i = 0; i < 5; i++) { // inside the episode
        h.processElement(rows.get(i), i);
      }
      h.prepareSnapshotPreBarrier(1); // flushes: the state covers every row emitted
      snapshot = h.snapshot(1, 10);
    }
    try (var h = open(snapshot)) {
      for (int i = 5; i < rows.size(); i++) {
        h.processElement(rows.get(i), i);
      }
      h.endInput();
      List<ScoredRow> out = h.extractOutputValues();
      for (int i = 5; i < rows.size(); i++) {
        assertThat(out.get(i - 5).score()).as("row %d", i).isEqualTo(expected.get(i).score());
      }
      // the restored episode resolves as it would have without the restart, and opens no new one
      assertThat(alerts(h)).extracting(a -> a.getEvent().toString()).containsExactly("resolve");
    }
  }

  @Test
  void entitiesInOneBatchAreDecidedEachWithItsOwnState() throws Exception {
    List<FeatureRow> rows = new ArrayList<>();
    List<FeatureRow> a = episode("a");
    for (int i = 0; i < 25; i++) {
      rows.add(a.get(i));
      rows.add(row("b", i, 0.0)); // b stays normal, in the same batches as a's anomaly
    }
    List<Decision> expected = offline(rows);
    try (var h = open(null)) {
      for (FeatureRow r : rows) {
        h.processElement(r, r.eventTime());
      }
      h.endInput();
      List<ScoredRow> out = h.extractOutputValues();
      for (int i = 0; i < rows.size(); i++) {
        assertThat(out.get(i).aboveThreshold())
            .as("row %d", i)
            .isEqualTo(expected.get(i).anomalous());
        assertThat(out.get(i).score()).as("row %d", i).isEqualTo(expected.get(i).score());
      }
      assertThat(out)
          .filteredOn(r -> r.entityId().equals("b"))
          .noneMatch(ScoredRow::aboveThreshold);
      assertThat(alerts(h)).extracting(x -> x.getEntityId().toString()).containsOnly("a");
      var operator = (MicroBatchScoringOperator) h.getOneInputOperator();
      assertThat(operator.keyedDetector().anomalyRateGauge().getValue()).isBetween(0.0, 0.2);
    }
  }

  @Test
  void anEntityIdleForTheTtlStartsAfresh() throws Exception {
    List<FeatureRow> rows = episode("a");
    // after the gap, a's rows are decided as a new entity's would be
    List<Decision> fresh = offline(rows.subList(4, rows.size()));
    List<Decision> continued = offline(rows);
    // row 4 opens an episode of its own after the gap; continuing, it is inside the one row 3
    // opened
    assertThat(events(fresh)).startsWith("open");
    assertThat(continued.get(4).event().emits()).isFalse();
    try (var h = open(null, Duration.ofMinutes(1))) {
      var detector = ((MicroBatchScoringOperator) h.getOneInputOperator()).keyedDetector();
      h.setProcessingTime(0);
      h.setStateTtlProcessingTime(0);
      for (int i = 0; i < 4; i++) { // into the episode
        h.processElement(rows.get(i), i);
      }
      h.prepareSnapshotPreBarrier(1); // a's state is in keyed state too now
      assertThat(detector.entitiesInMemory()).isEqualTo(1);

      h.setProcessingTime(120_000); // a has been idle for two minutes, twice the TTL
      h.setStateTtlProcessingTime(120_000);
      h.getOutput().clear();
      for (int i = 4; i < rows.size(); i++) {
        h.processElement(rows.get(i), i);
      }
      h.endInput();
      List<ScoredRow> out = h.extractOutputValues();
      for (int i = 4; i < rows.size(); i++) {
        assertThat(out.get(i - 4).score())
            .as("row %d, a fresh state after the TTL", i)
            .isEqualTo(fresh.get(i - 4).score());
      }
      assertThat(detector.entitiesInMemory()).isEqualTo(1);
      List<Alert> after = alerts(h);
      assertThat(after.subList(after.size() - events(fresh).size(), after.size()))
          .extracting(a -> a.getEvent().toString())
          .containsExactlyElementsOf(events(fresh));
    }
  }

  @Test
  void anEntityBackWithinTheTtlGoesOnWhereItWas() throws Exception {
    List<FeatureRow> rows = episode("a");
    List<Decision> expected = offline(rows);
    try (var h = open(null, Duration.ofMinutes(1))) {
      h.setProcessingTime(0);
      for (int i = 0; i < 4; i++) {
        h.processElement(rows.get(i), i);
      }
      h.prepareSnapshotPreBarrier(1);
      h.setProcessingTime(30_000); // half the TTL
      h.getOutput().clear();
      for (int i = 4; i < rows.size(); i++) {
        h.processElement(rows.get(i), i);
      }
      h.endInput();
      List<ScoredRow> out = h.extractOutputValues();
      for (int i = 4; i < rows.size(); i++) {
        assertThat(out.get(i - 4).score()).as("row %d", i).isEqualTo(expected.get(i).score());
      }
    }
  }

  @Test
  void aStuckSensorAlertsInTheJobAsOffline() throws Exception {
    List<FeatureRow> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // rows 10-24 repeat row 10's reading exactly: normal values, stuck
      FeatureRow r = row("s", i >= 10 && i < 25 ? 10 : i, 0.0);
      rows.add(new FeatureRow("s", 1_000L * i, r.values(), null));
    }
    List<Decision> expected = offline(rows);
    assertThat(expected.subList(0, 15)).noneMatch(Decision::anomalous);
    assertThat(expected.get(15).anomalous()).as("the fifth repeat").isTrue();
    try (var h = open(null)) {
      for (FeatureRow r : rows) {
        h.processElement(r, r.eventTime());
      }
      h.endInput();
      List<ScoredRow> out = h.extractOutputValues();
      for (int i = 0; i < rows.size(); i++) {
        assertThat(out.get(i).aboveThreshold())
            .as("row %d", i)
            .isEqualTo(expected.get(i).anomalous());
        assertThat(out.get(i).severity()).as("row %d", i).isEqualTo(expected.get(i).severity());
      }
      assertThat(events(expected)).startsWith("open");
      assertThat(alerts(h))
          .extracting(a -> a.getEvent().toString())
          .containsExactlyElementsOf(events(expected));
    }
  }

  @Test
  void idleEntitiesLeaveMemoryAndTheirKeyedState() throws Exception {
    try (var h = open(null, Duration.ofMinutes(1))) {
      var detector = ((MicroBatchScoringOperator) h.getOneInputOperator()).keyedDetector();
      h.setProcessingTime(0);
      h.processElement(row("a", 0, 0.0), 0);
      h.prepareSnapshotPreBarrier(1);
      h.setProcessingTime(120_000);
      h.processElement(row("b", 0, 0.0), 0);
      h.prepareSnapshotPreBarrier(2);
      assertThat(detector.entitiesInMemory()).as("a left the map").isEqualTo(1);
      var keyed =
          (org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness<?, ?, ?>) h;
      assertThat(keyed.numKeyedStateEntries()).as("and its keyed state, b's stays").isEqualTo(1);
    }
  }
}
