package io.vaeguard.pipeline.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.pipeline.FlinkTypes;
import io.vaeguard.pipeline.scoring.ModelLocation;
import io.vaeguard.pipeline.scoring.ScoredRow;
import io.vaeguard.schema.Alert;
import io.vaeguard.schema.FeatureShare;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlertPolicyTest {

  private static KeyedOneInputStreamOperatorTestHarness<String, ScoredRow, Alert> harness(AlertPolicy policy)
      throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(policy), ScoredRow::entityId,
        Types.STRING);
    h.setup(FlinkTypes.serializer(AlertPolicy.ALERT_TYPE));
    h.open();
    return h;
  }

  private static ScoredRow row(String entity, long eventTime, double score) {
    return new ScoredRow(entity, eventTime, score, 0.5, 0.25, 1.5, (int) Math.round(100 * score), score >= 0.9,
        new String[] {"pressure", "flow", "rpm"}, new double[] {0.6, 0.3, 0.05}, null, "pump-vae", "3", 0, 0);
  }

  private static AlertPolicy policy(Duration coolDown) {
    return AlertPolicy.builder(0.9).coolDown(coolDown).build();
  }

  @Test
  void alertsWhenTheScoreReachesTheThresholdWithTheTopFeatures() throws Exception {
    try (var h = harness(policy(Duration.ofSeconds(60)))) {
      h.setProcessingTime(777);
      h.processElement(row("p1", 1_000, 0.5), 1_000);
      h.processElement(row("p1", 2_000, 0.899), 2_000);
      assertThat(h.extractOutputValues()).isEmpty();

      h.processElement(row("p1", 3_000, 0.9), 3_000);
      List<Alert> alerts = h.extractOutputValues();
      assertThat(alerts).hasSize(1);
      Alert a = alerts.get(0);
      assertThat(a.getEntityId()).isEqualTo("p1");
      assertThat(a.getEventTime()).isEqualTo(Instant.ofEpochMilli(3_000));
      assertThat(a.getDetectionTime()).isEqualTo(Instant.ofEpochMilli(777));
      assertThat(a.getScore()).isEqualTo(0.9);
      assertThat(a.getSeverity()).isEqualTo(90);
      assertThat(a.getThreshold()).isEqualTo(0.9);
      assertThat(a.getModelName()).isEqualTo("pump-vae");
      assertThat(a.getModelVersion()).isEqualTo("3");
      assertThat(a.getReconstructionError()).isEqualTo(0.25);
      assertThat(a.getKl()).isEqualTo(1.5);
      assertThat(a.getTopFeatures()).containsExactly(
          new FeatureShare("pressure", 0.6), new FeatureShare("flow", 0.3), new FeatureShare("rpm", 0.05));
    }
  }

  @Test
  void coolDownInEventTimeSuppressesThenAllowsAlerts() throws Exception {
    AlertPolicy policy = policy(Duration.ofSeconds(60));
    try (var h = harness(policy)) {
      h.processElement(row("p1", 10_000, 0.95), 1);
      h.processElement(row("p1", 20_000, 0.99), 2); // within cool-down
      h.processElement(row("p1", 69_999, 0.99), 3); // still within
      h.processElement(row("p1", 5_000, 0.99), 4); // late row, before the alert: suppressed
      h.processElement(row("p2", 20_000, 0.97), 5); // another entity is independent
      h.processElement(row("p1", 70_000, 0.91), 6); // cool-down over
      assertThat(h.extractOutputValues())
          .extracting(a -> a.getEntityId() + "@" + a.getEventTime().toEpochMilli())
          .containsExactly("p1@10000", "p2@20000", "p1@70000");
      assertThat(policy.alertsCounter().getCount()).isEqualTo(3);
    }
  }

  @Test
  void persistenceNeedsConsecutiveAnomalousRows() throws Exception {
    try (var h = harness(AlertPolicy.builder(0.9).persistence(3).coolDown(Duration.ZERO).build())) {
      h.processElement(row("p1", 1, 0.95), 1);
      h.processElement(row("p1", 2, 0.95), 2);
      h.processElement(row("p1", 3, 0.10), 3); // breaks the run
      h.processElement(row("p1", 4, 0.95), 4);
      h.processElement(row("p1", 5, 0.95), 5);
      assertThat(h.extractOutputValues()).isEmpty();
      h.processElement(row("p1", 6, 0.95), 6);
      h.processElement(row("p1", 7, 0.95), 7); // run continues, no cool-down
      assertThat(h.extractOutputValues()).extracting(a -> a.getEventTime().toEpochMilli()).containsExactly(6L, 7L);
    }
  }

  @Test
  void onlyPersistenceNeedsTheRowsBelowTheThreshold() throws Exception {
    assertThat(AlertPolicy.builder(0.9).build().needsEveryRow()).isFalse();
    assertThat(AlertPolicy.builder(0.9).persistence(2).build().needsEveryRow()).isTrue();
    assertThat(AlertPolicy.builder(0.9).build().threshold()).isEqualTo(0.9);
    // persistence 1: the same alerts with and without the rows below the threshold
    double[] scores = {0.95, 0.10, 0.99, 0.20, 0.30, 0.91, 0.05, 0.97};
    List<String> every;
    List<String> anomalousOnly;
    try (var h = harness(AlertPolicy.builder(0.9).coolDown(Duration.ofMillis(3)).build())) {
      for (int i = 0; i < scores.length; i++) {
        h.processElement(row("p1", i, scores[i]), i);
      }
      every = h.extractOutputValues().stream().map(a -> a.getEventTime().toEpochMilli() + "").toList();
    }
    try (var h = harness(AlertPolicy.builder(0.9).coolDown(Duration.ofMillis(3)).build())) {
      for (int i = 0; i < scores.length; i++) {
        if (scores[i] >= 0.9) {
          h.processElement(row("p1", i, scores[i]), i);
        }
      }
      anomalousOnly = h.extractOutputValues().stream().map(a -> a.getEventTime().toEpochMilli() + "").toList();
    }
    assertThat(every).containsExactly("0", "5");
    assertThat(anomalousOnly).isEqualTo(every);
  }

  @Test
  void theCardGivesThresholdAndPersistence() {
    ModelCard card = ModelLocation.directory(Path.of("../models/default"), Precision.FP32).readCard();
    AlertPolicy.Builder b = AlertPolicy.builder(card);
    assertThat(b.build()).isNotNull();
    assertThatThrownBy(() -> AlertPolicy.builder(1.5)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> AlertPolicy.builder(0.9).persistence(0)).hasMessageContaining("persistence");
    assertThatThrownBy(() -> AlertPolicy.builder(0.9).coolDown(Duration.ofSeconds(-1))).hasMessageContaining("coolDown");
    assertThatThrownBy(() -> AlertPolicy.builder(0.9).coolDown(Duration.ofHours(2)).stateTtl(Duration.ofHours(1))
        .build()).hasMessageContaining("shorter than coolDown");
  }
}
