package io.vaeguard.pipeline.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.pipeline.FlinkTypes;
import io.vaeguard.pipeline.rows.FeatureRow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SlidingRowWindowTest {

  private static KeyedOneInputStreamOperatorTestHarness<String, FeatureRow, FeatureRow> harness(
      SlidingRowWindow fn) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(fn), FeatureRow::entityId, Types.STRING);
    h.setup(FlinkTypes.serializer(FeatureRow.TYPE));
    h.open();
    return h;
  }

  /** Two features per row: (t, 10 t), so every value names its row. */
  private static FeatureRow row(String entity, long t) {
    return new FeatureRow(entity, t, new float[] {t, 10 * t}, Map.of("t", Long.toString(t)));
  }

  @Test
  void emitsTheLastWRowsOldestFirstOnceThereAreW() throws Exception {
    try (var h = harness(new SlidingRowWindow(3, 2, Duration.ofHours(1)))) {
      h.processElement(row("a", 1), 1);
      h.processElement(row("a", 2), 2);
      assertThat(h.extractOutputValues()).as("the first W-1 rows emit nothing").isEmpty();

      h.processElement(row("a", 3), 3);
      h.processElement(row("a", 4), 4);
      List<FeatureRow> out = h.extractOutputValues();
      assertThat(out).hasSize(2);
      assertThat(out.get(0).values()).containsExactly(1, 10, 2, 20, 3, 30);
      assertThat(out.get(1).values()).containsExactly(2, 20, 3, 30, 4, 40);
      // causal: the newest row's time and labels
      assertThat(out.get(1).eventTime()).isEqualTo(4);
      assertThat(out.get(1).labels()).containsEntry("t", "4");
      // earlier outputs are not changed by later rows
      assertThat(out.get(0).values()).containsExactly(1, 10, 2, 20, 3, 30);
    }
  }

  @Test
  void rowsBeforeTheWindowIsFullGoToTheWarmingUpSideOutputAsScoresMarkedSo() throws Exception {
    try (var h = harness(new SlidingRowWindow(3, 2, Duration.ofHours(1), "pump-vae", "4"))) {
      h.setProcessingTime(55);
      for (long t = 1; t <= 4; t++) {
        h.processElement(row("a", t), t);
      }
      h.processElement(row("b", 9), 9);
      var warming = h.getSideOutput(SlidingRowWindow.WARMING_UP);
      assertThat(warming).hasSize(3);
      List<io.vaeguard.pipeline.rows.ScoredRow> rows =
          warming.stream().map(r -> r.getValue()).toList();
      assertThat(rows)
          .extracting(r -> r.entityId() + "@" + r.eventTime())
          .containsExactly("a@1", "a@2", "b@9");
      assertThat(rows)
          .allSatisfy(
              r -> {
                assertThat(r.warmingUp()).isTrue();
                assertThat(r.score()).isZero();
                assertThat(r.aboveThreshold()).isFalse();
                assertThat(r.modelName()).isEqualTo("pump-vae");
                assertThat(r.modelVersion()).isEqualTo("4");
                assertThat(r.scoredAt()).isEqualTo(55);
              });
      assertThat(rows.get(0).labels()).containsEntry("t", "1");
      // every input is accounted for: windows plus warming-up rows
      assertThat(h.extractOutputValues().size() + warming.size()).isEqualTo(5);
    }
  }

  @Test
  void keysAreIndependent() throws Exception {
    try (var h = harness(new SlidingRowWindow(2, 2, Duration.ofHours(1)))) {
      h.processElement(row("a", 1), 1);
      h.processElement(row("b", 100), 2);
      assertThat(h.extractOutputValues()).isEmpty();
      h.processElement(row("a", 2), 3);
      h.processElement(row("b", 101), 4);
      h.processElement(row("b", 102), 5);
      List<FeatureRow> out = h.extractOutputValues();
      assertThat(out).extracting(FeatureRow::entityId).containsExactly("a", "b", "b");
      assertThat(out.get(0).values()).containsExactly(1, 10, 2, 20);
      assertThat(out.get(1).values()).containsExactly(100, 1000, 101, 1010);
      assertThat(out.get(2).values()).containsExactly(101, 1010, 102, 1020);
      assertThat(h.numKeyedStateEntries()).isEqualTo(2);
    }
  }

  @Test
  void windowOfOnePassesRowsThrough() throws Exception {
    try (var h = harness(new SlidingRowWindow(1, 2, Duration.ZERO))) {
      h.processElement(row("a", 5), 1);
      assertThat(h.extractOutputValues()).containsExactly(row("a", 5));
    }
  }

  @Test
  void anIdleEntityStartsAFreshWindowAfterTheTtl() throws Exception {
    try (var h = harness(new SlidingRowWindow(2, 2, Duration.ofMinutes(1)))) {
      h.setStateTtlProcessingTime(0);
      h.processElement(row("a", 1), 1);
      h.setStateTtlProcessingTime(Duration.ofMinutes(1).toMillis() + 1);
      h.processElement(row("a", 2), 2);
      assertThat(h.extractOutputValues()).as("the first row expired").isEmpty();
      h.processElement(row("a", 3), 3);
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(h.extractOutputValues().get(0).values()).containsExactly(2, 20, 3, 30);
    }
  }

  @Test
  void checksItsArgumentsAndRowWidths() throws Exception {
    assertThatThrownBy(() -> new SlidingRowWindow(0, 2, Duration.ZERO))
        .hasMessageContaining("window must be >= 1");
    assertThatThrownBy(() -> new SlidingRowWindow(2, 0, Duration.ZERO))
        .hasMessageContaining("features must be >= 1");
    assertThatThrownBy(() -> new SlidingRowWindow(2, 2, Duration.ofSeconds(-1)))
        .hasMessageContaining("idleTtl");
    try (var h = harness(new SlidingRowWindow(2, 3, Duration.ZERO))) {
      assertThatThrownBy(() -> h.processElement(row("a", 1), 1))
          .hasMessageContaining("entity a")
          .hasMessageContaining("2 values")
          .hasMessageContaining("3 features");
    }
  }
}
