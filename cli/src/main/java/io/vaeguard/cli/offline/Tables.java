package io.vaeguard.cli.offline;

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
}
