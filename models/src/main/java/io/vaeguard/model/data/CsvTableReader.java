package io.vaeguard.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one CSV file into a {@link CsvTable}. The whole file is checked (header, row widths) even
 * when a row range keeps only part of it, so a broken file fails the same way whatever the range;
 * numbers are parsed only in the kept rows.
 *
 * <p>Without explicit features, a column is a feature when its value in the first data row is a
 * number: a later non-number in it is then an error with its line, not a silently dropped sensor.
 */
final class CsvTableReader {

  private final Path file;
  private final CsvOptions options;
  private final String name;

  CsvTableReader(Path file, CsvOptions options) {
    this.file = file;
    this.options = options;
    this.name = file.toString();
  }

  /** One data record and the 1-based line it starts on. */
  private record Line(long number, String[] values) {}

  CsvTable read() {
    if (Files.isDirectory(file)) {
      throw new DataException(name + " is a directory, not a CSV file");
    }
    if (!Files.isRegularFile(file)) {
      throw new DataException("no such file: " + name);
    }
    List<Line> lines = parse();
    if (lines.isEmpty()) {
      throw new DataException(name + " is empty: expected a header row");
    }
    String[] header = lines.remove(0).values();
    Map<String, Integer> columns = columnIndex(header);
    if (lines.isEmpty()) {
      throw new DataException(name + " has a header but no data rows");
    }
    for (Line l : lines) {
      if (l.values().length != header.length) {
        throw new DataException(
            name
                + " line "
                + l.number()
                + ": "
                + l.values().length
                + " values but the header has "
                + header.length
                + " columns");
      }
    }
    int time = optionalColumn(options.timeColumn(), "time", columns, header);
    int entity = optionalColumn(options.entityColumn(), "entity", columns, header);
    int label = optionalColumn(options.labelColumn(), "label", columns, header);
    int[] features = featureColumns(header, columns, lines.get(0), time, entity, label);

    int from = options.range().start(lines.size());
    int to = options.range().end(lines.size());
    if (from >= to) {
      throw new DataException(
          "row range "
              + options.range()
              + " selects no rows of "
              + name
              + ": it has "
              + lines.size()
              + " data rows");
    }
    int n = to - from;
    double[][] values = new double[n][features.length];
    String[] times = time < 0 ? null : new String[n];
    String[] entities = entity < 0 ? null : new String[n];
    int[] labels = label < 0 ? null : new int[n];
    int[] rowIndex = new int[n];
    for (int r = 0; r < n; r++) {
      Line l = lines.get(from + r);
      rowIndex[r] = from + r;
      for (int f = 0; f < features.length; f++) {
        values[r][f] = number(l, features[f], header);
      }
      if (times != null) {
        times[r] = l.values()[time];
      }
      if (entities != null) {
        entities[r] = l.values()[entity];
      }
      if (labels != null) {
        labels[r] = number(l, label, header) > 0.5 ? 1 : 0;
      }
    }
    List<String> names = new ArrayList<>();
    for (int c : features) {
      names.add(header[c]);
    }
    return new CsvTable(file, names, values, times, entities, labels, rowIndex);
  }

  private List<Line> parse() {
    // Empty lines become records so line numbers stay true; blank ones are dropped below.
    CSVFormat format =
        CSVFormat.DEFAULT
            .builder()
            .setDelimiter(options.delimiter())
            .setIgnoreEmptyLines(false)
            .setTrim(true)
            .get();
    List<Line> lines = new ArrayList<>();
    long line = 1;
    try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8, format)) {
      Iterator<CSVRecord> it = parser.iterator();
      while (true) {
        // hasNext() reads the record, so the line it starts on is one past the lines read before.
        line = parser.getCurrentLineNumber() + 1;
        if (!it.hasNext()) {
          break;
        }
        String[] values = it.next().values();
        if (values.length == 1 && values[0].isEmpty()) {
          continue;
        }
        lines.add(new Line(line, values));
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw new DataException(
          "cannot read " + name + " near line " + line + ": " + e.getMessage(), e);
    }
    return lines;
  }

  private Map<String, Integer> columnIndex(String[] header) {
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < header.length; c++) {
      if (index.putIfAbsent(header[c], c) != null) {
        throw new DataException(
            name + " line 1: column '" + header[c] + "' appears twice in the header");
      }
    }
    return index;
  }

  private int optionalColumn(
      String column, String role, Map<String, Integer> columns, String[] header) {
    if (column == null) {
      return -1;
    }
    Integer c = columns.get(column);
    if (c == null) {
      throw new DataException(
          "no "
              + role
              + " column '"
              + column
              + "' in "
              + name
              + "; columns are: "
              + String.join(", ", header));
    }
    return c;
  }

  private int[] featureColumns(
      String[] header, Map<String, Integer> columns, Line first, int time, int entity, int label) {
    List<Integer> chosen = new ArrayList<>();
    if (!options.features().isEmpty()) {
      for (String f : options.features()) {
        Integer c = columns.get(f);
        if (c == null) {
          throw new DataException(
              "unknown feature '"
                  + f
                  + "' in "
                  + name
                  + "; columns are: "
                  + String.join(", ", header));
        }
        if (chosen.contains(c)) {
          throw new DataException("feature '" + f + "' is listed twice");
        }
        chosen.add(c);
      }
    } else {
      for (String x : options.exclude()) {
        if (!columns.containsKey(x)) {
          throw new DataException(
              "unknown column '"
                  + x
                  + "' to exclude in "
                  + name
                  + "; columns are: "
                  + String.join(", ", header));
        }
      }
      for (int c = 0; c < header.length; c++) {
        if (c != time
            && c != entity
            && c != label
            && !options.exclude().contains(header[c])
            && isNumber(first.values()[c])) {
          chosen.add(c);
        }
      }
      if (chosen.isEmpty()) {
        throw new DataException(
            "no numeric feature columns in "
                + name
                + " (judged by line "
                + first.number()
                + "); columns are: "
                + String.join(", ", header));
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  private double number(Line l, int column, String[] header) {
    String text = l.values()[column];
    if (!isNumber(text)) {
      throw new DataException(
          name
              + " line "
              + l.number()
              + ", column '"
              + header[column]
              + "': '"
              + text
              + "' is not a number");
    }
    double v = Double.parseDouble(text);
    if (!Double.isFinite(v)) {
      throw new DataException(
          name
              + " line "
              + l.number()
              + ", column '"
              + header[column]
              + "': '"
              + text
              + "' is not finite");
    }
    return v;
  }

  /**
   * Whether {@code text} is a decimal number (NaN and Infinity included, so they can be reported as
   * not finite). Java's own suffixes and hex floats ("1d", "0x1p3") are not data.
   */
  static boolean isNumber(String text) {
    if (text.isEmpty()) {
      return false;
    }
    char last = Character.toLowerCase(text.charAt(text.length() - 1));
    if (last == 'd' || last == 'f' || text.indexOf('x') >= 0 || text.indexOf('X') >= 0) {
      return false;
    }
    try {
      Double.parseDouble(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
