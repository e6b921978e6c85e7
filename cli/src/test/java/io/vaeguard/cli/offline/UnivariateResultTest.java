package io.vaeguard.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vaeguard.model.detect.Severity;
import io.vaeguard.model.eval.DetectionMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The univariate protocol's arithmetic on tiny series whose figures are worked out by hand. */
class UnivariateResultTest {

  private static final String LS = "level-shift";

  /** One entity's rows, in time order. */
  private record Series(
      String entity, int[] labels, String[] kinds, boolean[] flagged, int[] severities) {}

  /**
   * Entity a, 12 rows: a level shift at 2 (flagged 2, 3; the stretch 2..4 ends at the spike at 5:
   * settling 2), a spike at 5-6 (5 flagged), a level shift at 8 (flagged 9 and 11, the last row:
   * settling 4 of a 4-row stretch, never settled).
   */
  static final Series A =
      new Series(
          "a",
          new int[] {0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0},
          new String[] {"", "", LS, "", "", "spike", "spike", "", LS, "", "", ""},
          flags("T.TT.T...T.T"),
          new int[] {10, 0, 30, 60, 0, 80, 0, 0, 0, 5, 0, 90});

  /**
   * Entity b, 8 rows: dip at 1-2 (missed), stuck at 3 (flagged), a false alarm at 4, dip at 5
   * (flagged).
   */
  static final Series B =
      new Series(
          "b",
          new int[] {0, 1, 1, 1, 0, 1, 0, 0},
          new String[] {"", "dip", "dip", "stuck", "", "dip", null, ""},
          flags("...TTT.."),
          new int[] {0, 0, 0, 40, 20, 75, 0, 0});

  private static boolean[] flags(String pattern) {
    boolean[] f = new boolean[pattern.length()];
    for (int i = 0; i < f.length; i++) {
      f[i] = pattern.charAt(i) == 'T';
    }
    return f;
  }

  /** The rows of the given entities interleaved as a file holds them (by time, then entity). */
  private static UnivariateResult of(int afterShift, Series... series) {
    List<Integer> owner = new ArrayList<>();
    List<Integer> pos = new ArrayList<>();
    int longest = 0;
    for (Series s : series) {
      longest = Math.max(longest, s.labels().length);
    }
    for (int p = 0; p < longest; p++) {
      for (int e = 0; e < series.length; e++) {
        if (p < series[e].labels().length) {
          owner.add(e);
          pos.add(p);
        }
      }
    }
    int n = owner.size();
    boolean[] flagged = new boolean[n];
    int[] labels = new int[n];
    String[] kinds = new String[n];
    String[] entities = new String[n];
    int[] severities = new int[n];
    for (int i = 0; i < n; i++) {
      Series s = series[owner.get(i)];
      int p = pos.get(i);
      flagged[i] = s.flagged()[p];
      labels[i] = s.labels()[p];
      kinds[i] = s.kinds()[p];
      entities[i] = s.entity();
      severities[i] = s.severities()[p];
    }
    return UnivariateResult.of(flagged, labels, kinds, entities, severities, afterShift);
  }

  @Test
  void figuresOfTwoInterleavedEntities() {
    UnivariateResult r = of(3, A, B);

    // anomalous rows: a 5, 6; b 1, 2, 3, 5 -> flagged a5, b3, b5. Normal: a 10 rows (5 flagged), b
    // 4 (1).
    assertThat(r.metrics()).isEqualTo(new DetectionMetrics(3, 6, 8, 3));
    assertThat(r.metrics().precision()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(r.metrics().recall()).isCloseTo(0.5, within(1e-12));
    assertThat(r.metrics().f1()).isCloseTo(0.4, within(1e-12));
    assertThat(r.normal()).isEqualTo(new UnivariateResult.Count(6, 14));
    assertThat(r.normal().percent()).isCloseTo(600.0 / 14, within(1e-9));
    // leaving out a's rows 2-4 and 8-10 (3 rows from each shift on): a 0, 1, 7, 11 (0 and 11
    // flagged), b all 4 (1)
    assertThat(r.normalOutsideShifts()).isEqualTo(new UnivariateResult.Count(3, 8));
    assertThat(r.normalOutsideShifts().percent()).isCloseTo(37.5, within(1e-12));

    assertThat(r.kinds())
        .containsExactly(
            new UnivariateResult.KindRecall(
                "spike", new UnivariateResult.Count(1, 2), new UnivariateResult.Count(1, 1)),
            new UnivariateResult.KindRecall(
                "dip", new UnivariateResult.Count(1, 3), new UnivariateResult.Count(1, 2)),
            new UnivariateResult.KindRecall(
                "stuck", new UnivariateResult.Count(1, 1), new UnivariateResult.Count(1, 1)));
    assertThat(r.allAnomalies())
        .isEqualTo(
            new UnivariateResult.KindRecall(
                "all", new UnivariateResult.Count(3, 6), new UnivariateResult.Count(3, 4)));

    assertThat(r.shifts())
        .containsExactly(new UnivariateResult.Shift(3, 2), new UnivariateResult.Shift(4, 4));
    assertThat(r.settlingTimes()).containsExactly(2, 4);
    assertThat(r.settlingMedian()).isEqualTo(2);
    assertThat(r.settlingP90()).isEqualTo(4);
    assertThat(r.settlingMax()).isEqualTo(4);
    assertThat(r.neverSettled()).isEqualTo(1);

    // warning: a0 (10), a9 (5), b4 (20) all normal; minor: a2 (30) normal, b3 (40) stuck;
    // major: a3 (60) normal; critical: a5 (80) spike, a11 (90) normal, b5 (75) dip
    assertThat(r.bands().rows(Severity.Band.WARNING)).isEqualTo(3);
    assertThat(r.bands().precision(Severity.Band.WARNING)).isZero();
    assertThat(r.bands().precision(Severity.Band.MINOR)).isCloseTo(0.5, within(1e-12));
    assertThat(r.bands().rows(Severity.Band.MAJOR)).isEqualTo(1);
    assertThat(r.bands().precision(Severity.Band.CRITICAL)).isCloseTo(2.0 / 3, within(1e-12));

    assertThat(r.headline())
        .isEqualTo(
            "univariate: precision 0.333 recall 0.500 F1 0.400; false alarms on normal "
                + "rows 42.86% (37.50% outside the 3 rows after a level shift); level shifts: 2, rows until alerts stop "
                + "median 2, p90 4, max 4, never settled 1");
    assertThat(r.kindLines())
        .containsExactly(
            "spike:          rows 1/2 flagged (50.0%), spans 1/1 with an alert (100.0%)",
            "dip:            rows 1/3 flagged (33.3%), spans 1/2 with an alert (50.0%)",
            "stuck:          rows 1/1 flagged (100.0%), spans 1/1 with an alert (100.0%)");
  }

  @Test
  void filesPoolToTheSameFiguresAsOneFile() {
    UnivariateResult pooled = UnivariateResult.empty(3).plus(of(3, B)).plus(of(3, A));
    UnivariateResult together = of(3, A, B);

    assertThat(pooled.metrics()).isEqualTo(together.metrics());
    assertThat(pooled.normal()).isEqualTo(together.normal());
    assertThat(pooled.normalOutsideShifts()).isEqualTo(together.normalOutsideShifts());
    assertThat(pooled.kinds()).isEqualTo(together.kinds()); // kind order, not file order
    assertThat(pooled.bands()).isEqualTo(together.bands());
    assertThat(pooled.settlingTimes()).containsExactly(2, 4);
    assertThat(pooled.headline()).isEqualTo(together.headline());
    assertThatThrownBy(() -> of(3, A).plus(of(4, B))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultLeavesOutADayAfterEachShift() {
    // one entity, 2000 normal rows, a shift at row 100: rows 100 .. 1539 are left out
    int n = 2000;
    boolean[] flagged = new boolean[n];
    int[] labels = new int[n];
    String[] kinds = new String[n];
    java.util.Arrays.fill(kinds, "");
    kinds[100] = LS;
    for (int i : new int[] {50, 100, 101, 1539, 1540, 1999}) {
      flagged[i] = true;
    }
    UnivariateResult r = UnivariateResult.of(flagged, labels, kinds, null, new int[n]);

    assertThat(r.afterShift()).isEqualTo(UnivariateResult.AFTER_SHIFT);
    assertThat(r.normal()).isEqualTo(new UnivariateResult.Count(6, 2000));
    assertThat(r.normalOutsideShifts()).isEqualTo(new UnivariateResult.Count(3, 2000 - 1440));
    // the stretch runs to the last row, which is flagged: settling 1900 of 1900 rows, never settled
    assertThat(r.shifts()).containsExactly(new UnivariateResult.Shift(1900, 1900));
    assertThat(r.neverSettled()).isEqualTo(1);
    assertThat(r.metrics().recall()).isZero();
    assertThat(r.kinds()).isEmpty();
    assertThat(r.headline()).contains("(0.54% outside the 1440 rows after a level shift)");
  }

  @Test
  void settlingCountsFromTheShiftRowAndStopsAtTheNextShiftOrAnomaly() {
    // shift at 0 (only its own row flagged: 1), shift at 3 right after (nothing flagged: 0, stretch
    // 2),
    // shift at 5 whose stretch ends at the anomaly at 8 (row 7 flagged, the stretch's last: never
    // settled),
    // a flag at 9 after the anomaly belongs to no stretch; a shift on the entity's last row
    int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
    String[] kinds = {LS, "", "", LS, "", LS, "", "", "pattern-change", "", LS};
    boolean[] flagged = flags("T......T.T.");
    UnivariateResult r =
        UnivariateResult.of(flagged, labels, kinds, null, new int[labels.length], 0);

    assertThat(r.shifts())
        .containsExactly(
            new UnivariateResult.Shift(3, 1),
            new UnivariateResult.Shift(2, 0),
            new UnivariateResult.Shift(3, 3),
            new UnivariateResult.Shift(1, 0));
    assertThat(r.settlingTimes()).containsExactly(0, 0, 1, 3);
    assertThat(r.settlingMedian()).isEqualTo(0);
    assertThat(r.neverSettled()).isEqualTo(1);
    // afterShift 0 leaves nothing out
    assertThat(r.normalOutsideShifts()).isEqualTo(r.normal());
    assertThat(r.kinds())
        .extracting(UnivariateResult.KindRecall::kind)
        .containsExactly("pattern-change");
  }

  @Test
  void quantilesAreByNearestRank() {
    int[] settling = {12, 0, 100, 5, 7, 1, 9, 10, 30, 0};
    List<UnivariateResult.Shift> shifts = new ArrayList<>();
    for (int s : settling) {
      shifts.add(new UnivariateResult.Shift(200, s));
    }
    UnivariateResult r =
        new UnivariateResult(
            3,
            DetectionMetrics.EMPTY,
            new UnivariateResult.Count(0, 0),
            new UnivariateResult.Count(0, 0),
            List.of(),
            shifts,
            io.vaeguard.model.eval.BandPrecision.EMPTY);

    // sorted: 0 0 1 5 7 9 10 12 30 100
    assertThat(r.settlingMedian()).isEqualTo(7);
    assertThat(r.settlingP90()).isEqualTo(30);
    assertThat(r.settlingQuantile(1.0)).isEqualTo(100);
    assertThat(r.settlingQuantile(0.1)).isEqualTo(0);
    assertThat(r.settlingMax()).isEqualTo(100);
    assertThat(r.neverSettled()).isZero();
    assertThat(UnivariateResult.EMPTY.settlingMedian()).isEqualTo(-1);
    assertThat(UnivariateResult.EMPTY.headline()).endsWith("level shifts: 0");
  }

  @Test
  void mismatchedArraysAreRefused() {
    assertThatThrownBy(
            () -> UnivariateResult.of(new boolean[3], new int[2], new String[3], null, new int[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 labels for 3 rows");
    assertThatThrownBy(() -> new UnivariateResult.Shift(3, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
