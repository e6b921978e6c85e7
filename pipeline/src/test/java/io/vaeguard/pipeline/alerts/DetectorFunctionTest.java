package io.vaeguard.pipeline.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.model.calibration.Calibration;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import io.vaeguard.model.detect.Decision;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorSpec;
import io.vaeguard.model.detect.DetectorState;
import io.vaeguard.model.detect.Statistic;
import io.vaeguard.pipeline.FlinkTypes;
import io.vaeguard.pipeline.scoring.ScoredRow;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.FeatureShare;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DetectorFunctionTest {

  private static final double[] STATS = {1, 1.2, 1.5, 1.1, 1.3, 2, 1.4, 1.25, 1.8, 1.05, 1.6, 1.15, 1.35, 1.7, 1.45};

  /** A card whose calibration is fitted on statistics between 1 and 2; smoothing 0.5, resolve after 2 rows. */
  private static ModelCard card() {
    double[] fit = new double[300];
    for (int i = 0; i < fit.length; i++) {
      fit[i] = STATS[i % STATS.length];
    }
    DetectorSpec spec = new DetectorSpec(Statistic.MAX_STANDARDISED, new double[] {1, 1}, 0.5, 1, 0.01, 2, 0, 1.4, null, 0);
    return new ModelCard("pump-vae", "3", null, "model.onnx", "fp32", List.of("pressure", "flow"), 1, List.of(4), 2,
        new Scaler(new double[] {0, 0}, new double[] {1, 1}), 0, Calibration.fit(fit), 0.99, "test", 1, spec, null,
        null);
  }

  private static Detector detector() {
    return Detector.of(card(), Duration.ofSeconds(5), Double.NaN);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ScoredRow, ScoredRow> harness(DetectorFunction f)
      throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), ScoredRow::entityId,
        Types.STRING);
    h.setup(FlinkTypes.serializer(ScoredRow.TYPE));
    return h;
  }

  private static ScoredRow row(String entity, long eventTime, double statistic) {
    return new ScoredRow(entity, eventTime, 0.5, statistic, statistic, 0.25, 1.5, 0, statistic > 5, false,
        new String[] {"pressure", "flow"}, new double[] {0.7, 0.3}, null, "pump-vae", "3", 0, 0);
  }

  /** The decisions the detector makes offline for one entity's rows, one second apart. */
  private static List<Decision> offline(double[] stats) {
    Detector offline = detector();
    List<Decision> out = new ArrayList<>();
    DetectorState s = null;
    for (int i = 0; i < stats.length; i++) {
      Detector.Step step = offline.step(s, stats[i], i * 1000L);
      s = step.state();
      out.add(step.decision());
    }
    return out;
  }

  private static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, ScoredRow, ScoredRow> h) {
    List<Alert> out = new ArrayList<>();
    var q = h.getSideOutput(DetectorFunction.ALERTS);
    if (q != null) {
      q.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  @Test
  void decidesEveryRowAsTheOfflineDetectorDoesAndSendsEpisodeEvents() throws Exception {
    double[] stats = {1.2, 1.4, 30, 40, 35, 1.2, 1.1, 1.0, 1.1, 1.2, 1.1, 1.0, 1.1, 1.2, 1.1, 1.0, 1.1};
    List<Decision> expected = offline(stats);
    try (var h = harness(new DetectorFunction(detector(), Duration.ofHours(1)))) {
      h.open();
      h.setProcessingTime(777);
      for (int i = 0; i < stats.length; i++) {
        h.processElement(row("p1", i * 1000L, stats[i]), i * 1000L);
      }
      List<ScoredRow> rows = h.extractOutputValues();
      assertThat(rows).hasSize(stats.length);
      for (int i = 0; i < stats.length; i++) {
        assertThat(rows.get(i).score()).isEqualTo(expected.get(i).score());
        assertThat(rows.get(i).aboveThreshold()).isEqualTo(expected.get(i).anomalous());
        assertThat(rows.get(i).severity()).isEqualTo(expected.get(i).severity());
      }
      List<Alert> alerts = alerts(h);
      List<String> events = expected.stream().filter(d -> d.event().emits())
          .map(d -> d.event().name().toLowerCase(java.util.Locale.ROOT)).toList();
      assertThat(events).startsWith("open").endsWith("resolve");
      assertThat(alerts).extracting(a -> a.getEvent().toString()).containsExactlyElementsOf(events);
      Alert open = alerts.get(0);
      assertThat(open.getEventTime()).isEqualTo(Instant.ofEpochMilli(2000));
      assertThat(open.getEpisodeStart()).isEqualTo(Instant.ofEpochMilli(2000));
      assertThat(open.getDetectionTime()).isEqualTo(Instant.ofEpochMilli(777));
      assertThat(open.getThreshold()).isEqualTo(0.99);
      assertThat(open.getSeverity()).isBetween(1, 100);
      assertThat(open.getBand().toString()).isIn("warning", "minor", "major", "critical");
      assertThat(open.getTopFeatures()).containsExactly(new FeatureShare("pressure", 0.7), new FeatureShare("flow", 0.3));
      Alert resolve = alerts.get(alerts.size() - 1);
      assertThat(resolve.getEpisodeStart()).isEqualTo(Instant.ofEpochMilli(2000));
      assertThat(resolve.getSeverity()).as("a resolve carries the episode's peak").isEqualTo(resolve.getPeakSeverity())
          .isGreaterThanOrEqualTo(open.getSeverity());
    }
  }

  @Test
  void entityStateSurvivesACheckpointAndRestore() throws Exception {
    OperatorSubtaskState snapshot;
    double[] stats = {1.3, 30, 40, 1.2, 1.1, 1.2, 1.1, 1.2, 1.1, 1.2, 1.1, 1.2, 1.1};
    List<Decision> expected = offline(stats);
    try (var h = harness(new DetectorFunction(detector(), Duration.ofHours(1)))) {
      h.open();
      for (int i = 0; i < 3; i++) {
        h.processElement(row("p1", i * 1000L, stats[i]), i * 1000L);
      }
      snapshot = h.snapshot(1, 10);
    }
    try (var h = harness(new DetectorFunction(detector(), Duration.ofHours(1)))) {
      h.initializeState(snapshot);
      h.open();
      for (int i = 3; i < stats.length; i++) {
        h.processElement(row("p1", i * 1000L, stats[i]), i * 1000L);
      }
      List<ScoredRow> rows = h.extractOutputValues();
      for (int i = 3; i < stats.length; i++) {
        assertThat(rows.get(i - 3).score()).isEqualTo(expected.get(i).score());
      }
      // the restored episode resolves as it would have without the restart
      List<String> events = expected.subList(3, stats.length).stream().filter(d -> d.event().emits())
          .map(d -> d.event().name().toLowerCase(java.util.Locale.ROOT)).toList();
      assertThat(events).endsWith("resolve");
      assertThat(alerts(h)).extracting(a -> a.getEvent().toString()).containsExactlyElementsOf(events);
    }
  }

  @Test
  void entitiesAreIndependentAndTheAnomalyRateCountsDecisions() throws Exception {
    DetectorFunction f = new DetectorFunction(detector(), Duration.ofHours(1));
    try (var h = harness(f)) {
      h.open();
      h.processElement(row("a", 0, 50), 0);
      h.processElement(row("b", 0, 1.2), 0);
      h.processElement(row("a", 1000, 50), 1);
      h.processElement(row("b", 1000, 1.3), 1);
      assertThat(h.extractOutputValues()).extracting(ScoredRow::aboveThreshold).containsExactly(true, false, true, false);
      assertThat(alerts(h)).extracting(a -> a.getEntityId().toString()).containsExactly("a");
      assertThat(f.alertsCounter().getCount()).isEqualTo(1);
      assertThat(f.anomalyRateGauge().getValue()).isBetween(0.0, 1.0);
    }
  }
}
