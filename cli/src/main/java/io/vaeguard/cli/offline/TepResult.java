package io.vaeguard.cli.offline;

import io.vaeguard.model.offline.RowScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The figures of the Tennessee Eastman fault-detection protocol, from the alert decisions of each
 * test file: per fault k, the detection rate (share of the samples after the fault starts that are
 * alerted) and the false-alarm rate (share of the samples before it); the false-alarm rate over all
 * of d00_te.dat (normal operation); and the mean detection rates over all faults and over the
 * faults the literature sets aside as undetectable.
 *
 * @param normal alerts over all rows of d00_te.dat
 * @param faults faults 1 .. n in order
 */
public record TepResult(Rate normal, List<Fault> faults) {

  /** Fault k is introduced after this many samples (0-based rows 0 .. 159 are still normal). */
  public static final int FAULT_START = 160;

  /** Faults 3, 9 and 15 are practically undetectable; the usual second mean leaves them out. */
  public static final Set<Integer> UNDETECTABLE = Set.of(3, 9, 15);

  public TepResult {
    faults = List.copyOf(faults);
  }

  /** {@code alerted} of {@code rows} rows. */
  public record Rate(int alerted, int rows) {

    public Rate {
      if (rows < 0 || alerted < 0 || alerted > rows) {
        throw new IllegalArgumentException(alerted + " alerted of " + rows + " rows");
      }
    }

    /** Alerts over rows {@code [from, to)}. */
    static Rate of(boolean[] alerts, int from, int to) {
      int n = 0;
      for (int i = from; i < to; i++) {
        if (alerts[i]) {
          n++;
        }
      }
      return new Rate(n, to - from);
    }

    Rate plus(Rate o) {
      return new Rate(alerted + o.alerted, rows + o.rows);
    }

    /** Percent of rows alerted; NaN for no rows. */
    public double percent() {
      return rows == 0 ? Double.NaN : 100.0 * alerted / rows;
    }
  }

  /**
   * One fault's test file.
   *
   * @param k fault number, 1 .. 21
   * @param beforeFault alerts on the normal rows before the fault starts (false alarms)
   * @param afterFault alerts on the rows from the fault's start on (detections)
   */
  public record Fault(int k, Rate beforeFault, Rate afterFault) {

    public double detectionPercent() {
      return afterFault.percent();
    }

    public double falseAlarmPercent() {
      return beforeFault.percent();
    }
  }

  /**
   * The decision per row: an alert on a row with a full window. A row without one counts as not
   * alerted, whatever else the scorer put there.
   */
  public static boolean[] decisions(RowScores s) {
    return decisions(s.scored(), s.alert());
  }

  /** {@code scored[i] && alert[i]} per row. */
  public static boolean[] decisions(boolean[] scored, boolean[] alert) {
    if (scored.length != alert.length) {
      throw new IllegalArgumentException(
          scored.length + " scored flags but " + alert.length + " alerts");
    }
    boolean[] d = new boolean[alert.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = scored[i] && alert[i];
    }
    return d;
  }

  /**
   * @param alerts the decisions per row of each test file, index k = d{k}_te.dat: index 0 is the
   *     normal file, indices 1 .. n the faults; a fault file needs more than {@value #FAULT_START}
   *     rows
   */
  public static TepResult of(List<boolean[]> alerts) {
    if (alerts.size() < 2) {
      throw new IllegalArgumentException(
          "need the normal test file and at least one fault, got " + alerts.size() + " files");
    }
    boolean[] normal = alerts.get(0);
    List<Fault> faults = new ArrayList<>();
    for (int k = 1; k < alerts.size(); k++) {
      boolean[] a = alerts.get(k);
      if (a.length <= FAULT_START) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "fault %d: %d rows, but the fault starts after row %d",
                k,
                a.length,
                FAULT_START));
      }
      faults.add(new Fault(k, Rate.of(a, 0, FAULT_START), Rate.of(a, FAULT_START, a.length)));
    }
    return new TepResult(Rate.of(normal, 0, normal.length), faults);
  }

  /** Mean of the per-fault detection rates, in percent. */
  public double meanDetectionPercent() {
    return faults.stream().mapToDouble(Fault::detectionPercent).average().orElse(Double.NaN);
  }

  /** Mean of the per-fault detection rates without faults 3, 9 and 15, in percent. */
  public double meanDetectionPercentDetectable() {
    return faults.stream()
        .filter(f -> !UNDETECTABLE.contains(f.k()))
        .mapToDouble(Fault::detectionPercent)
        .average()
        .orElse(Double.NaN);
  }

  /** The faults the second mean counts. */
  public long detectableFaults() {
    return faults.stream().filter(f -> !UNDETECTABLE.contains(f.k())).count();
  }

  /** False alarms on the rows before the fault, over all fault files together. */
  public Rate pooledBeforeFault() {
    return faults.stream().map(Fault::beforeFault).reduce(new Rate(0, 0), Rate::plus);
  }

  /** Detections over the rows after the fault of all fault files together. */
  public Rate pooledAfterFault() {
    return faults.stream().map(Fault::afterFault).reduce(new Rate(0, 0), Rate::plus);
  }

  /** The one line that sums the protocol up, as printed and at the top of the summary. */
  public String headline() {
    return String.format(
        Locale.ROOT,
        "TEP: mean detection %d faults %.1f%%, %d faults (without 3, 9, 15) %.1f%%; "
            + "false alarms: first %d samples %.1f%% (pooled), d00_te %.1f%%",
        faults.size(),
        meanDetectionPercent(),
        detectableFaults(),
        meanDetectionPercentDetectable(),
        FAULT_START,
        pooledBeforeFault().percent(),
        normal.percent());
  }
}
