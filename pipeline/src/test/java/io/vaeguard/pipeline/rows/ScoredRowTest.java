package io.vaeguard.pipeline.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.FlinkTypes;
import io.vaeguard.schema.Score;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class ScoredRowTest {

  @Test
  void flinkSerializesItAsAPojoWithoutKryo() throws Exception {
    assertThat(TypeInformation.of(ScoredRow.class))
        .isSameAs(ScoredRow.TYPE)
        .isInstanceOf(PojoTypeInfo.class);
    ScoredRow row =
        new ScoredRow(
            "e",
            1,
            0.5,
            0.4,
            2.5,
            0.3,
            0.2,
            50,
            true,
            false,
            new String[] {"a", "b"},
            new double[] {0.75, 0.25},
            Map.of("anomaly", "1"),
            "m",
            "1",
            10,
            11);
    assertThat(FlinkTypes.roundTrip(ScoredRow.TYPE, row)).isEqualTo(row);
    ScoredRow bare =
        new ScoredRow(
            "e",
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            false,
            true,
            new String[0],
            new double[0],
            null,
            "m",
            "1",
            0,
            0);
    assertThat(FlinkTypes.roundTrip(ScoredRow.TYPE, bare)).isEqualTo(bare);
  }

  @Test
  void toScoreCarriesTheScoresAndBothTimes() {
    ScoredRow row =
        new ScoredRow(
            "e",
            1_000,
            0.5,
            0.4,
            2.5,
            0.3,
            0.2,
            50,
            true,
            false,
            new String[] {"a"},
            new double[] {1.0},
            null,
            "m",
            "1",
            900,
            1_100);
    assertThat(row.toScore())
        .isEqualTo(
            Score.newBuilder()
                .setEntityId("e")
                .setEventTime(Instant.ofEpochMilli(1_000))
                .setScoredTime(Instant.ofEpochMilli(1_100))
                .setModelName("m")
                .setModelVersion("1")
                .setReconstructionError(0.3)
                .setKl(0.2)
                .setRawScore(0.4)
                .setScore(0.5)
                .setAlert(true)
                .setStatistic(2.5)
                .setSeverity(50)
                .setWarmingUp(false)
                .build());
  }
}
