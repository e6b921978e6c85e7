package io.vaeguard.cli.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.synth.AnomalyKind;
import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.Channel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyScoreboardTest {

  private static AnomalySpan span(String entity, long start, long end) {
    return new AnomalySpan(entity, start, end, AnomalyKind.LEVEL_SHIFT, List.of(Channel.PRESSURE));
  }

  @Test
  void anAlertInsideTheSpanCatchesIt() {
    AnomalyScoreboard board = new AnomalyScoreboard(Duration.ZERO);
    board.spans(List.of(span("e1", 1000, 2000)));
    board.alert("e1", 1500);

    AnomalyScoreboard.Tally t = board.tally(10_000);
    assertThat(t).isEqualTo(new AnomalyScoreboard.Tally(1, 1, 0, 0, 1, 1));
    assertThat(t.recall()).isEqualTo(1.0);
    assertThat(t.alertsOutside()).isZero();
  }

  @Test
  void graceStretchesTheWindowPastTheEndInclusively() {
    AnomalyScoreboard board = new AnomalyScoreboard(Duration.ofMillis(500));
    board.spans(List.of(span("e1", 1000, 2000), span("e2", 1000, 2000)));
    board.alert("e1", 2500); // last millisecond of the grace
    board.alert("e2", 2501); // one past it

    AnomalyScoreboard.Tally t = board.tally(10_000);
    assertThat(t.caught()).isEqualTo(1);
    assertThat(t.missed()).isEqualTo(1);
    assertThat(t.alertsInAnomalies()).isEqualTo(1);
    assertThat(t.alertsOutside()).isEqualTo(1);
    assertThat(t.recall()).isEqualTo(0.5);
  }

  @Test
  void anAlertBeforeTheStartOrForAnotherEntityCatchesNothing() {
    AnomalyScoreboard board = new AnomalyScoreboard(Duration.ofMillis(500));
    board.spans(List.of(span("e1", 1000, 2000)));
    board.alert("e1", 999);
    board.alert("e2", 1500);

    AnomalyScoreboard.Tally t = board.tally(10_000);
    assertThat(t.caught()).isZero();
    assertThat(t.missed()).isEqualTo(1);
    assertThat(t.alerts()).isEqualTo(2);
    assertThat(t.alertsOutside()).isEqualTo(2);
  }

  @Test
  void aSpanStaysOpenUntilItsWindowHasPassed() {
    AnomalyScoreboard board = new AnomalyScoreboard(Duration.ofMillis(500));
    board.spans(List.of(span("e1", 1000, 2000)));

    assertThat(board.tally(2500).open()).isEqualTo(1);
    assertThat(board.tally(2500).recall()).isNaN();
    assertThat(board.tally(2501).missed()).isEqualTo(1);
    // a late alert, still inside the window, turns a missed span into a caught one
    board.alert("e1", 2200);
    assertThat(board.tally(2501).caught()).isEqualTo(1);
  }

  @Test
  void spansLearnedAfterTheirAlertsAreStillMatched() {
    AnomalyScoreboard board = new AnomalyScoreboard(Duration.ofMillis(100));
    board.alert("e1", 1500);
    board.alert("e1", 1600);
    board.alert("e1", 9000);
    assertThat(board.tally(Long.MIN_VALUE))
        .isEqualTo(new AnomalyScoreboard.Tally(0, 0, 0, 0, 3, 0));

    board.spans(List.of(span("e1", 1000, 2000), span("e1", 8000, 8500)));
    AnomalyScoreboard.Tally t = board.tally(20_000);
    assertThat(t.anomalies()).isEqualTo(2);
    assertThat(t.caught()).isEqualTo(1);
    assertThat(t.missed()).isEqualTo(1);
    assertThat(t.alertsInAnomalies()).isEqualTo(2);
    assertThat(board.latestAlertMillis()).isEqualTo(9000);
  }

  @Test
  void overlappingWindowsCountAnAlertOnce() {
    AnomalyScoreboard board = new AnomalyScoreboard(Duration.ofMillis(1000));
    board.spans(List.of(span("e1", 1000, 5000), span("e1", 2000, 2500)));
    board.alert("e1", 4000); // in the first window, after the second one closed

    AnomalyScoreboard.Tally t = board.tally(20_000);
    assertThat(t.caught()).isEqualTo(1);
    assertThat(t.missed()).isEqualTo(1);
    assertThat(t.alertsInAnomalies()).isEqualTo(1);
  }

  @Test
  void negativeGraceIsRefused() {
    assertThatThrownBy(() -> new AnomalyScoreboard(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
  }
}
