package io.vaeguard.cli;

import io.vaeguard.model.data.CsvOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** How to read a CSV file: the options that train, score and evaluate share. */
final class CsvInput {

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "Field separator (default: guessed from the header line: ';', tab or ',').")
  String delimiter;

  @Option(
      names = "--time-column",
      paramLabel = "NAME",
      description =
          "Column with each row's time, copied to the output (default: 'timestamp' or 'datetime' if present).")
  String timeColumn;

  @Option(
      names = "--entity-column",
      paramLabel = "NAME",
      description =
          "Column naming the entity of each row, for files with many entities: windows and "
              + "persistence then run per entity (default: 'entity' if present).")
  String entityColumn;

  char delimiter(Path file) {
    if (delimiter != null) {
      String d = delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab") ? "\t" : delimiter;
      if (d.length() != 1) {
        throw new UserError("--delimiter must be one character, got '" + delimiter + "'");
      }
      return d.charAt(0);
    }
    String header = header(file);
    if (header.indexOf(';') >= 0) {
      return ';';
    }
    return header.indexOf('\t') >= 0 ? '\t' : ',';
  }

  /**
   * The options builder with delimiter, time and entity column resolved against the file's header.
   */
  CsvOptions.Builder builder(Path file) {
    char d = delimiter(file);
    List<String> columns = columns(file);
    CsvOptions.Builder b = CsvOptions.builder().delimiter(d);
    String time =
        timeColumn != null ? timeColumn : firstPresent(columns, "timestamp", "datetime", "time");
    if (time != null) {
      b.timeColumn(time);
    }
    String entity =
        entityColumn != null
            ? entityColumn
            : firstPresent(columns, "entity", "entity_id", "entityId");
    if (entity != null) {
      b.entityColumn(entity);
    }
    return b;
  }

  /** The column names in the file's header, trimmed and unquoted. */
  List<String> columns(Path file) {
    String d = java.util.regex.Pattern.quote(String.valueOf(delimiter(file)));
    return java.util.Arrays.stream(header(file).split(d, -1))
        .map(String::trim)
        .map(
            c ->
                c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")
                    ? c.substring(1, c.length() - 1)
                    : c)
        .toList();
  }

  private static String firstPresent(List<String> columns, String... names) {
    for (String n : names) {
      for (String c : columns) {
        if (c.equals(n)) {
          return n;
        }
      }
    }
    return null;
  }

  static String header(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserError("no such file: " + file);
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = r.readLine();
      if (line == null) {
        throw new UserError(file + " is empty: expected a header row");
      }
      return line.startsWith("\uFEFF") ? line.substring(1) : line;
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }
}
