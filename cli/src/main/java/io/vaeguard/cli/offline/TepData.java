package io.vaeguard.cli.offline;

import io.vaeguard.cli.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The Tennessee Eastman Process files as the Braatz group distributes them: whitespace-separated
 * numbers without a header, one sample per line and one variable per column, except that {@code
 * d00.dat} is stored transposed (52 lines of 500 samples). Reading tells the two apart by shape, so
 * a corrected copy of d00.dat reads the same.
 */
public final class TepData {

  /** Variables per sample: 22 measurements, 19 analyser compositions, 11 manipulated variables. */
  public static final int VARIABLES = 52;

  /** Normal operation, the only file the protocol fits on. */
  public static final String TRAIN_FILE = "d00.dat";

  /** Test files d00_te.dat (normal) and d01_te.dat .. d21_te.dat (fault k). */
  public static final int LAST_FAULT = 21;

  private TepData() {}

  /** The test file of fault {@code k}; k = 0 is normal operation. */
  public static String testFile(int k) {
    return String.format(Locale.ROOT, "d%02d_te.dat", k);
  }

  /** Feature names for the model card: x1 .. x52, the variables' usual numbering. */
  public static List<String> features() {
    return IntStream.rangeClosed(1, VARIABLES).mapToObj(i -> "x" + i).toList();
  }

  /**
   * Checks before any training that the directory holds d00.dat and every test file, so a missing
   * file fails in a second rather than after the model is fitted.
   */
  public static void requireFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserError("no such directory: " + dir);
    }
    List<String> missing = new ArrayList<>();
    if (!Files.isRegularFile(dir.resolve(TRAIN_FILE))) {
      missing.add(TRAIN_FILE);
    }
    for (int k = 0; k <= LAST_FAULT; k++) {
      if (!Files.isRegularFile(dir.resolve(testFile(k)))) {
        missing.add(testFile(k));
      }
    }
    if (!missing.isEmpty()) {
      throw new UserError(
          "missing "
              + String.join(", ", missing)
              + " in "
              + dir
              + " (the TEP protocol needs "
              + TRAIN_FILE
              + " and "
              + testFile(0)
              + " .. "
              + testFile(LAST_FAULT)
              + ")");
    }
  }

  /** Reads a file of {@value #VARIABLES} variables as samples x variables. */
  public static double[][] read(Path file) {
    return read(file, VARIABLES);
  }

  /**
   * Reads a file as {@code [samples][variables]}. A file whose lines hold {@code variables} numbers
   * is read as is; one with {@code variables} lines of some other length is transposed (d00.dat). A
   * square file is read as is: its shape cannot tell.
   */
  public static double[][] read(Path file, int variables) {
    double[][] m = parse(file);
    if (m.length == 0) {
      throw new UserError(file + " is empty: expected " + variables + " variables per sample");
    }
    int cols = m[0].length;
    if (cols == variables) {
      return m;
    }
    if (m.length == variables) {
      double[][] t = new double[cols][variables];
      for (int i = 0; i < variables; i++) {
        for (int j = 0; j < cols; j++) {
          t[j][i] = m[i][j];
        }
      }
      return t;
    }
    throw new UserError(
        String.format(
            Locale.ROOT,
            "%s has %d lines of %d numbers: expected %d numbers per line (samples x variables) or %d lines (transposed)",
            file,
            m.length,
            cols,
            variables,
            variables));
  }

  /** The numbers of every non-blank line; every line must hold as many as the first. */
  private static double[][] parse(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserError("no such file: " + file);
    }
    List<double[]> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        String s = line.strip();
        if (s.isEmpty()) {
          continue;
        }
        String[] fields = s.split("\\s+");
        if (!rows.isEmpty() && fields.length != rows.get(0).length) {
          throw new UserError(
              String.format(
                  Locale.ROOT,
                  "%s line %d: %d numbers, but the first line has %d",
                  file,
                  lineNo,
                  fields.length,
                  rows.get(0).length));
        }
        double[] v = new double[fields.length];
        for (int j = 0; j < fields.length; j++) {
          v[j] = number(file, lineNo, j + 1, fields[j]);
        }
        rows.add(v);
      }
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
    return rows.toArray(double[][]::new);
  }

  private static double number(Path file, int line, int column, String field) {
    double d;
    try {
      d = Double.parseDouble(field);
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    // NaN and infinities would poison the scaler and every score after them.
    if (!Double.isFinite(d)) {
      throw new UserError(
          String.format(
              Locale.ROOT,
              "%s line %d column %d: '%s' is not a finite number",
              file,
              line,
              column,
              field));
    }
    return d;
  }
}
