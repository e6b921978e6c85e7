package io.vaeguard.cli.live;

import static io.vaeguard.cli.live.TestAlerts.alert;
import static io.vaeguard.cli.live.TestAlerts.share;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.schema.Alert;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertLinesTest {

  @Test
  void alertLineHasTimeEntitySeverityScoreAndTopThreeShares() {
    Alert a =
        alert(
            "entity-007",
            Instant.parse("2024-01-01T12:00:03.250Z"),
            0.97123,
            List.of(
                share("pressure", 0.614),
                share("flow", 0.22),
                share("rpm", 0.09),
                share("current", 0.076)));
    assertThat(AlertLines.alert(a, ZoneOffset.UTC))
        .isEqualTo(
            "12:00:03  entity-007  sev 97  score 0.9712 (1 in 35)  pressure 61% flow 22% rpm 9%");
  }

  @Test
  void alertLineUsesTheGivenZoneAndCopesWithoutFeatures() {
    Alert a = alert("pump-1", Instant.parse("2024-01-01T12:00:03Z"), 1.0, List.of());
    assertThat(AlertLines.alert(a, ZoneId.of("Europe/Berlin")))
        .isEqualTo("13:00:03  pump-1  sev 100  score 1.0000 (1 in more than 1e15)");
  }

  @Test
  void aRepeatShowsItsBandAndAResolveItsEpisode() {
    Alert open =
        Alert.newBuilder(
                alert(
                    "pump-2",
                    Instant.parse("2024-01-01T12:00:09Z"),
                    0.9999,
                    List.of(share("flow", 0.7))))
            .setSeverity(58)
            .setBand("major")
            .setEvent("repeat")
            .build();
    assertThat(AlertLines.alert(open, ZoneOffset.UTC))
        .isEqualTo("12:00:09  pump-2  sev 58 major  score 0.9999 (1 in 10k)  repeat  flow 70%");
    Alert resolve =
        Alert.newBuilder(alert("pump-2", Instant.parse("2024-01-01T12:00:20Z"), 0.3, List.of()))
            .setEvent("resolve")
            .setEpisodeStart(Instant.parse("2024-01-01T12:00:03Z"))
            .setPeakSeverity(97)
            .build();
    assertThat(AlertLines.isResolve(resolve)).isTrue();
    assertThat(AlertLines.isResolve(open)).isFalse();
    assertThat(AlertLines.alert(resolve, ZoneOffset.UTC))
        .isEqualTo("12:00:20  pump-2  resolved  (episode from 12:00:03, peak sev 97)");
  }

  @Test
  void rarityIsOneInTheInverseTailProbabilityWithUnits() {
    assertThat(AlertLines.rarity(0.5)).isEqualTo("2");
    assertThat(AlertLines.rarity(0.999)).isEqualTo("1.0k");
    assertThat(AlertLines.rarity(1 - 1.0 / 41_000)).isEqualTo("41k");
    assertThat(AlertLines.rarity(1 - 1.0 / 9_990)).isEqualTo("10k");
    assertThat(AlertLines.rarity(1 - 1.0 / 7_800_000)).isEqualTo("7.8M");
    assertThat(AlertLines.rarity(1.0)).isEqualTo("more than 1e15");
  }

  @Test
  void tallyLineWithRateAndScore() {
    AnomalyScoreboard.Tally score = new AnomalyScoreboard.Tally(17, 12, 3, 2, 42, 37);
    assertThat(
            AlertLines.tally(
                Instant.parse("2024-01-01T12:00:05Z"), ZoneOffset.UTC, 42, 0, 12_000, 98.04, score))
        .isEqualTo(
            "-- 12:00:05  42 alerts  input 12,000 records, 98.0/s  anomalies 17: 12 caught, 3 missed,"
                + " 2 open (recall 80%), 5 alerts outside them");
  }

  @Test
  void tallyLineLeavesOutWhatItDoesNotKnow() {
    assertThat(
            AlertLines.tally(
                Instant.parse("2024-01-01T12:00:05Z"), ZoneOffset.UTC, 1, 2, -1, Double.NaN, null))
        .isEqualTo("-- 12:00:05  1 alert (2 skipped: not Alerts)");
    assertThat(
            AlertLines.tally(
                Instant.parse("2024-01-01T12:00:05Z"),
                ZoneOffset.UTC,
                0,
                0,
                5,
                Double.NaN,
                new AnomalyScoreboard.Tally(1, 0, 0, 1, 0, 0)))
        .isEqualTo(
            "-- 12:00:05  0 alerts  input 5 records  anomalies 1: 0 caught, 0 missed, 1 open,"
                + " 0 alerts outside them");
  }
}
