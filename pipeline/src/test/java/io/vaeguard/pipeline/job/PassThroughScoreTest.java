package io.vaeguard.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.schema.Score;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PassThroughScoreTest {

  @Test
  void carriesTheRowsIdentityAndNoScores() {
    Score s =
        VaeguardJob.passThroughRow(new FeatureRow("e", 1_234, new float[] {1f}, null), "m", "7")
            .toScore();
    assertThat(s)
        .isEqualTo(
            Score.newBuilder()
                .setEntityId("e")
                .setEventTime(Instant.ofEpochMilli(1_234))
                .setScoredTime(Instant.ofEpochMilli(1_234))
                .setModelName("m")
                .setModelVersion("7")
                .setReconstructionError(0)
                .setKl(0)
                .setRawScore(0)
                .setScore(0)
                .setAlert(false)
                .build());
  }
}
