package io.vaeguard.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TEP protocol's arithmetic on alert patterns whose figures are known in advance. */
class TepResultTest {

  static final int ROWS = 960;

  /**
   * d00_te: 48 of 960 rows alerted (5%). Fault k: rows 0 .. k-1 alerted (k false alarms of 160) and
   * rows 160 .. 160 + 10k - 1 (10k detections of 800, 1.25k %).
   */
  static List<boolean[]> pattern() {
    List<boolean[]> files = new ArrayList<>();
    boolean[] normal = new boolean[ROWS];
    for (int i = 0; i < 48; i++) {
      normal[i * 20] = true;
    }
    files.add(normal);
    for (int k = 1; k <= 21; k++) {
      boolean[] a = new boolean[ROWS];
      for (int i = 0; i < k; i++) {
        a[i] = true;
      }
      for (int i = 0; i < 10 * k; i++) {
        a[TepResult.FAULT_START + i] = true;
      }
      files.add(a);
    }
    return files;
  }

  @Test
  void perFaultRatesMeansAndPooledFalseAlarms() {
    TepResult r = TepResult.of(pattern());

    assertThat(r.normal()).isEqualTo(new TepResult.Rate(48, 960));
    assertThat(r.normal().percent()).isCloseTo(5.0, within(1e-12));
    assertThat(r.faults()).hasSize(21);
    for (TepResult.Fault f : r.faults()) {
      int k = f.k();
      assertThat(f.beforeFault()).as("fault %d", k).isEqualTo(new TepResult.Rate(k, 160));
      assertThat(f.afterFault()).as("fault %d", k).isEqualTo(new TepResult.Rate(10 * k, 800));
      assertThat(f.falseAlarmPercent()).isCloseTo(100.0 * k / 160, within(1e-12));
      assertThat(f.detectionPercent()).isCloseTo(1.25 * k, within(1e-12));
    }
    assertThat(r.faults())
        .extracting(TepResult.Fault::k)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21);
    // mean of 1.25k over k = 1..21 is 1.25 x 11; without 3, 9, 15: 1.25 x (231 - 27) / 18
    assertThat(r.meanDetectionPercent()).isCloseTo(13.75, within(1e-9));
    assertThat(r.detectableFaults()).isEqualTo(18);
    assertThat(r.meanDetectionPercentDetectable()).isCloseTo(1.25 * 204 / 18, within(1e-9));
    // pooled: 1 + 2 + ... + 21 = 231 false alarms over 21 x 160 rows
    assertThat(r.pooledBeforeFault()).isEqualTo(new TepResult.Rate(231, 3360));
    assertThat(r.pooledBeforeFault().percent()).isCloseTo(6.875, within(1e-12));
    assertThat(r.pooledAfterFault()).isEqualTo(new TepResult.Rate(2310, 16800));
    assertThat(r.headline())
        .isEqualTo(
            "TEP: mean detection 21 faults 13.8%, 18 faults (without 3, 9, 15) 14.2%; "
                + "false alarms: first 160 samples 6.9% (pooled), d00_te 5.0%");
  }

  @Test
  void row159IsAFalseAlarmAndRow160ADetection() {
    boolean[] last = new boolean[ROWS];
    last[159] = true;
    boolean[] first = new boolean[ROWS];
    first[160] = true;

    TepResult r = TepResult.of(List.of(new boolean[ROWS], last, first));

    assertThat(r.faults().get(0).beforeFault()).isEqualTo(new TepResult.Rate(1, 160));
    assertThat(r.faults().get(0).afterFault()).isEqualTo(new TepResult.Rate(0, 800));
    assertThat(r.faults().get(1).beforeFault()).isEqualTo(new TepResult.Rate(0, 160));
    assertThat(r.faults().get(1).afterFault()).isEqualTo(new TepResult.Rate(1, 800));
    assertThat(r.normal()).isEqualTo(new TepResult.Rate(0, 960));
  }

  @Test
  void theSecondMeanLeavesOutOnlyFaultsThreeNineAndFifteen() {
    List<boolean[]> files = new ArrayList<>();
    files.add(new boolean[ROWS]);
    for (int k = 1; k <= 21; k++) {
      boolean[] a = new boolean[ROWS];
      if (!TepResult.UNDETECTABLE.contains(k)) {
        java.util.Arrays.fill(a, TepResult.FAULT_START, ROWS, true);
      }
      files.add(a);
    }

    TepResult r = TepResult.of(files);

    assertThat(r.meanDetectionPercentDetectable()).isCloseTo(100.0, within(1e-12));
    assertThat(r.meanDetectionPercent()).isCloseTo(100.0 * 18 / 21, within(1e-9));
    assertThat(r.pooledBeforeFault().alerted()).isZero();
  }

  @Test
  void rowsWithoutAFullWindowAreNotAlerted() {
    boolean[] scored = {false, false, true, true, true};
    boolean[] alert = {true, false, true, false, true};

    assertThat(TepResult.decisions(scored, alert)).containsExactly(false, false, true, false, true);
  }

  @Test
  void aFaultFileMustReachPastTheFaultStart() {
    assertThatThrownBy(() -> TepResult.of(List.of(new boolean[ROWS], new boolean[160])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fault 1: 160 rows");
    assertThatThrownBy(() -> TepResult.of(List.of(new boolean[ROWS])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyRateHasNoPercent() {
    assertThat(new TepResult.Rate(0, 0).percent()).isNaN();
    assertThatThrownBy(() -> new TepResult.Rate(3, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
