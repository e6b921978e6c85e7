package io.vaeguard.cli.offline;

import io.vaeguard.model.eval.BandPrecision;
import io.vaeguard.model.eval.DetectionMetrics;
import io.vaeguard.model.offline.TableScorer;
import io.vaeguard.model.synth.UnivariateKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of the univariate protocol (files written by {@code synth --univariate}), from each
 * row's decision, label, kind, entity and severity; counts pool over files with {@link #plus}.
 *
 * <ul>
 *   <li>precision, recall, F1 of the row decisions against the labels ({@link #metrics()});
 *   <li>the false-alarm rate on normal rows, and the same without the normal rows in the first
 *       {@code afterShift} rows of each level shift (the shift's row and the {@code afterShift - 1}
 *       rows of its entity after it; {@link #AFTER_SHIFT} by default), to show how much of the
 *       false alarms the shifts cause;
 *   <li>recall per anomaly kind: the share of its rows flagged, and the share of its spans (a run
 *       of consecutive rows of one entity with that kind) with at least one flagged row;
 *   <li>per level shift, its <em>stretch</em>: the entity's rows from the shift's row up to, not
 *       including, its next level shift or next anomalous row (or its last row); the <em>settling
 *       time</em> is the number of rows from the shift's row through the last flagged row of the
 *       stretch (1 when only the shift's row is flagged, 0 when none is); a shift whose stretch's
 *       last row is flagged never settled;
 *   <li>precision by severity band.
 * </ul>
 *
 * @param afterShift rows from a level shift's row on that the second false-alarm rate leaves out
 * @param metrics the row decisions against the labels
 * @param normal flagged normal rows (label 0) of all normal rows
 * @param normalOutsideShifts the same, without the normal rows in the first {@code afterShift} rows
 *     of a level shift
 * @param kinds recall per anomaly kind, in {@link UnivariateKind} order (other names after, by
 *     name)
 * @param shifts one entry per level shift
 * @param bands precision by severity band
 */
public record UnivariateResult(
    int afterShift,
    DetectionMetrics metrics,
    Count normal,
    Count normalOutsideShifts,
    List<KindRecall> kinds,
    List<Shift> shifts,
    BandPrecision bands) {

  /**
   * Rows after a level shift (from its row on) left out of the second false-alarm rate: a day of
   * 1-minute steps.
   */
  public static final int AFTER_SHIFT = 1440;

  /** The kind whose first row marks a level shift (normal, label 0). */
  public static final String LEVEL_SHIFT = UnivariateKind.LEVEL_SHIFT.id();

  /** The kind an anomalous row with an empty kind is counted under. */
  public static final String UNKNOWN_KIND = "unknown";

  public static final UnivariateResult EMPTY = empty(AFTER_SHIFT);

  public UnivariateResult {
    if (afterShift < 0) {
      throw new IllegalArgumentException("afterShift must be >= 0, got " + afterShift);
    }
    kinds = List.copyOf(kinds);
    shifts = List.copyOf(shifts);
  }

  /** {@code flagged} of {@code rows}. */
  public record Count(long flagged, long rows) {

    public Count {
      if (rows < 0 || flagged < 0 || flagged > rows) {
        throw new IllegalArgumentException(flagged + " flagged of " + rows + " rows");
      }
    }

    Count plus(Count o) {
      return new Count(flagged + o.flagged, rows + o.rows);
    }

    /** Share flagged in percent; NaN for no rows. */
    public double percent() {
      return rows == 0 ? Double.NaN : 100.0 * flagged / rows;
    }
  }

  /**
   * Recall of one anomaly kind.
   *
   * @param kind the kind's name as the file writes it
   * @param rows its rows, and how many were flagged
   * @param spans its spans, and how many had at least one flagged row
   */
  public record KindRecall(String kind, Count rows, Count spans) {

    KindRecall plus(KindRecall o) {
      return new KindRecall(kind, rows.plus(o.rows), spans.plus(o.spans));
    }
  }

  /**
   * One level shift.
   *
   * @param stretch rows from the shift's row up to its entity's next level shift or anomaly (or
   *     end)
   * @param settling rows from the shift's row through the stretch's last flagged row; 0 if none
   *     flagged
   */
  public record Shift(int stretch, int settling) {

    public Shift {
      if (stretch < 1 || settling < 0 || settling > stretch) {
        throw new IllegalArgumentException(
            "settling " + settling + " in a stretch of " + stretch + " rows");
      }
    }

    /** The stretch's last row is still flagged: the alerts had not stopped when it ended. */
    public boolean neverSettled() {
      return settling == stretch;
    }
  }

  /** No rows yet: what {@link #plus} starts from. */
  public static UnivariateResult empty(int afterShift) {
    return new UnivariateResult(
        afterShift,
        DetectionMetrics.EMPTY,
        new Count(0, 0),
        new Count(0, 0),
        List.of(),
        List.of(),
        BandPrecision.EMPTY);
  }

  /**
   * The figures of one file, leaving the first {@link #AFTER_SHIFT} rows of each level shift out of
   * the second false-alarm rate.
   */
  public static UnivariateResult of(
      boolean[] flagged, int[] labels, String[] kinds, String[] entities, int[] severities) {
    return of(flagged, labels, kinds, entities, severities, AFTER_SHIFT);
  }

  /**
   * The figures of one file.
   *
   * @param flagged the decision per row (a row without a full window counts as not flagged)
   * @param labels 0/1 per row
   * @param kinds kind per row: empty or null on plain rows, {@value #LEVEL_SHIFT} on a shift's
   *     first row, the anomaly's kind on anomalous rows
   * @param entities entity per row, or null for one entity; rows of an entity are in time order
   * @param severities severity per row (0 on normal decisions)
   * @param afterShift rows from a level shift's row on left out of the second false-alarm rate
   */
  public static UnivariateResult of(
      boolean[] flagged,
      int[] labels,
      String[] kinds,
      String[] entities,
      int[] severities,
      int afterShift) {
    check(afterShift >= 0, "afterShift must be >= 0, got " + afterShift);
    int n = flagged.length;
    check(labels.length == n, labels.length + " labels for " + n + " rows");
    check(kinds.length == n, kinds.length + " kinds for " + n + " rows");
    check(entities == null || entities.length == n, "entities for " + n + " rows");
    check(severities.length == n, severities.length + " severities for " + n + " rows");

    DetectionMetrics metrics = DetectionMetrics.of(labels, flagged);
    long normalRows = 0;
    long normalFlagged = 0;
    long outsideRows = 0;
    long outsideFlagged = 0;
    Map<String, KindRecall> byKind = new LinkedHashMap<>();
    List<Shift> shifts = new ArrayList<>();

    for (int[] idx : TableScorer.groupByEntity(n, entities)) {
      int m = idx.length;
      // positions (within the entity) after a shift: the shift's row and the afterShift - 1 rows
      // after it
      boolean[] postShift = new boolean[m];
      int shiftUntil = -1; // exclusive end of the current post-shift range
      for (int p = 0; p < m; p++) {
        int row = idx[p];
        if (isShift(labels[row], kinds[row])) {
          shiftUntil = p + afterShift;
        }
        postShift[p] = p < shiftUntil;
        if (labels[row] == 0) {
          normalRows++;
          if (flagged[row]) {
            normalFlagged++;
          }
          if (!postShift[p]) {
            outsideRows++;
            if (flagged[row]) {
              outsideFlagged++;
            }
          }
        }
      }

      // anomaly kinds: rows, and spans = runs of consecutive anomalous rows of one kind
      for (int p = 0; p < m; ) {
        int row = idx[p];
        if (labels[row] == 0) {
          p++;
          continue;
        }
        String kind = kindOf(kinds[row]);
        int end = p;
        long hit = 0;
        while (end < m && labels[idx[end]] != 0 && kindOf(kinds[idx[end]]).equals(kind)) {
          if (flagged[idx[end]]) {
            hit++;
          }
          end++;
        }
        KindRecall k = new KindRecall(kind, new Count(hit, end - p), new Count(hit > 0 ? 1 : 0, 1));
        byKind.merge(kind, k, KindRecall::plus);
        p = end;
      }

      // level shifts: settling time within the stretch up to the next shift or anomaly
      for (int p = 0; p < m; p++) {
        if (!isShift(labels[idx[p]], kinds[idx[p]])) {
          continue;
        }
        int end = p + 1;
        while (end < m && labels[idx[end]] == 0 && !isShift(labels[idx[end]], kinds[idx[end]])) {
          end++;
        }
        int last = -1;
        for (int q = p; q < end; q++) {
          if (flagged[idx[q]]) {
            last = q;
          }
        }
        shifts.add(new Shift(end - p, last < 0 ? 0 : last - p + 1));
      }
    }
    return new UnivariateResult(
        afterShift,
        metrics,
        new Count(normalFlagged, normalRows),
        new Count(outsideFlagged, outsideRows),
        ordered(byKind.values()),
        shifts,
        BandPrecision.of(severities, labels));
  }

  /**
   * Pools two results (with the same {@code afterShift}): counts add up, the shifts of both are
   * kept.
   */
  public UnivariateResult plus(UnivariateResult o) {
    check(
        afterShift == o.afterShift,
        "cannot pool results that leave out "
            + afterShift
            + " and "
            + o.afterShift
            + " rows after a level shift");
    Map<String, KindRecall> byKind = new LinkedHashMap<>();
    for (KindRecall k : kinds) {
      byKind.merge(k.kind(), k, KindRecall::plus);
    }
    for (KindRecall k : o.kinds) {
      byKind.merge(k.kind(), k, KindRecall::plus);
    }
    List<Shift> all = new ArrayList<>(shifts);
    all.addAll(o.shifts);
    return new UnivariateResult(
        afterShift,
        metrics.plus(o.metrics),
        normal.plus(o.normal),
        normalOutsideShifts.plus(o.normalOutsideShifts),
        ordered(byKind.values()),
        all,
        bands.plus(o.bands));
  }

  private static boolean isShift(int label, String kind) {
    return label == 0 && LEVEL_SHIFT.equals(kind == null ? "" : kind.trim());
  }

  private static String kindOf(String kind) {
    String k = kind == null ? "" : kind.trim();
    return k.isEmpty() ? UNKNOWN_KIND : k;
  }

  private static List<KindRecall> ordered(java.util.Collection<KindRecall> kinds) {
    List<String> known = Arrays.stream(UnivariateKind.values()).map(UnivariateKind::id).toList();
    Comparator<KindRecall> byKnown =
        Comparator.comparingInt(
            k -> {
              int i = known.indexOf(k.kind());
              return i < 0 ? Integer.MAX_VALUE : i;
            });
    return kinds.stream().sorted(byKnown.thenComparing(KindRecall::kind)).toList();
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** All anomalous rows and spans, of every kind together. */
  public KindRecall allAnomalies() {
    Count rows = new Count(0, 0);
    Count spans = new Count(0, 0);
    for (KindRecall k : kinds) {
      rows = rows.plus(k.rows());
      spans = spans.plus(k.spans());
    }
    return new KindRecall("all", rows, spans);
  }

  /** The settling times of all shifts, ascending. */
  public int[] settlingTimes() {
    return shifts.stream().mapToInt(Shift::settling).sorted().toArray();
  }

  /**
   * The q-quantile of the settling times by nearest rank (the smallest value with at least a share
   * q of the shifts at or below it); -1 without shifts.
   */
  public int settlingQuantile(double q) {
    check(q > 0 && q <= 1, "quantile must be in (0, 1], got " + q);
    int[] s = settlingTimes();
    if (s.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * s.length - 1e-9);
    return s[Math.max(1, Math.min(s.length, rank)) - 1];
  }

  public int settlingMedian() {
    return settlingQuantile(0.5);
  }

  public int settlingP90() {
    return settlingQuantile(0.9);
  }

  /** The longest settling time; -1 without shifts. */
  public int settlingMax() {
    return shifts.stream().mapToInt(Shift::settling).max().orElse(-1);
  }

  public long neverSettled() {
    return shifts.stream().filter(Shift::neverSettled).count();
  }

  /** The one line that sums the protocol up, as printed and at the top of the summary. */
  public String headline() {
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "univariate: precision %.3f recall %.3f F1 %.3f; false alarms on normal rows %.2f%% "
                    + "(%.2f%% outside the %d rows after a level shift); level shifts: %d",
                metrics.precision(),
                metrics.recall(),
                metrics.f1(),
                normal.percent(),
                normalOutsideShifts.percent(),
                afterShift,
                shifts.size()));
    if (!shifts.isEmpty()) {
      s.append(
          String.format(
              Locale.ROOT,
              ", rows until alerts stop median %d, p90 %d, max %d, never settled %d",
              settlingMedian(),
              settlingP90(),
              settlingMax(),
              neverSettled()));
    }
    return s.toString();
  }

  /**
   * One line per anomaly kind: {@code spike: rows 120/130 flagged (92.3%), spans 40/42 alerted
   * (95.2%)}.
   */
  public List<String> kindLines() {
    List<String> lines = new ArrayList<>();
    for (KindRecall k : kinds) {
      lines.add(kindLine(k));
    }
    return lines;
  }

  static String kindLine(KindRecall k) {
    return String.format(
        Locale.ROOT,
        "%-15s rows %d/%d flagged (%.1f%%), spans %d/%d with an alert (%.1f%%)",
        k.kind() + ":",
        k.rows().flagged(),
        k.rows().rows(),
        k.rows().percent(),
        k.spans().flagged(),
        k.spans().rows(),
        k.spans().percent());
  }
}
