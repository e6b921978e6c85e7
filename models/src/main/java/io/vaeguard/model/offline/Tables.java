package io.vaeguard.model.offline;

import io.vaeguard.model.data.CsvTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splits a table's rows into one chronological segment per entity. */
public final class Tables {

  private Tables() {}

  /** Segments of all rows. */
  public static List<double[][]> segments(CsvTable table) {
    return segments(table, table.rows());
  }

  /** Segments of the first {@code rows} rows. */
  public static List<double[][]> segments(CsvTable table, int rows) {
    String[] entities = table.entities() == null ? null : Arrays.copyOf(table.entities(), rows);
    List<double[][]> out = new ArrayList<>();
    for (int[] idx : TableScorer.groupByEntity(rows, entities)) {
      double[][] seg = new double[idx.length][];
      for (int i = 0; i < idx.length; i++) {
        seg[i] = table.values()[idx[i]];
      }
      out.add(seg);
    }
    return out;
  }

  /**
   * Event time of every row in epoch millis, from the time column: epoch millis or seconds (a
   * number), ISO-8601 instants, or local date-times such as SKAB's {@code 2020-03-09 10:14:33}
   * (read as UTC). Null when the table has no time column or a value reads as none of these; the
   * detector then counts row i as i seconds.
   */
  public static long[] eventTimes(CsvTable table) {
    String[] t = table.times();
    if (t == null) {
      return null;
    }
    long[] out = new long[t.length];
    for (int i = 0; i < t.length; i++) {
      Long v = parseTime(t[i]);
      if (v == null) {
        return null;
      }
      out[i] = v;
    }
    return out;
  }

  private static Long parseTime(String s) {
    String v = s == null ? "" : s.trim();
    try {
      double d = Double.parseDouble(v);
      // Below 1e11 a number is seconds (1e11 ms is 1973; 1e11 s is the year 5138).
      return (long) (Math.abs(d) < 1e11 ? d * 1000 : d);
    } catch (NumberFormatException notANumber) {
      // try the date forms
    }
    try {
      return java.time.Instant.parse(v).toEpochMilli();
    } catch (java.time.format.DateTimeParseException notAnInstant) {
      // try a local date-time
    }
    try {
      return java.time.LocalDateTime.parse(v.replace(' ', 'T'))
          .toInstant(java.time.ZoneOffset.UTC)
          .toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
