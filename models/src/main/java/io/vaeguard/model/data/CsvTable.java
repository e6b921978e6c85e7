package io.vaeguard.model.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Numeric feature rows read from a CSV file, with the time and label of each row where the file has
 * them.
 *
 * @param source the file read
 * @param features feature names in column order of {@code values}
 * @param values {@code [rows][features]}
 * @param times the time column's text per row, or null without a time column
 * @param entities the entity column's text per row, or null without an entity column
 * @param labels 0/1 per row, or null without a label column
 * @param rowIndex the 0-based data-row index in the file of each row (the range's offset applied)
 */
public record CsvTable(
    Path source,
    List<String> features,
    double[][] values,
    String[] times,
    String[] entities,
    int[] labels,
    int[] rowIndex) {

  public CsvTable {
    features = List.copyOf(features);
  }

  /** Reads {@code file} as {@code options} say; see {@link CsvTableReader}. */
  public static CsvTable read(Path file, CsvOptions options) {
    return new CsvTableReader(file, options).read();
  }

  public int rows() {
    return values.length;
  }

  public int width() {
    return features.size();
  }
}
