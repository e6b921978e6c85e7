package io.vaeguard.model.synth;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Batch files from {@link UnivariateGenerator}: rows as {@code timestamp,entity,value,anomaly,kind}
 * (epoch millis; anomaly 0/1; kind empty on plain normal rows, {@code level-shift} on the first row
 * of a shift, the anomaly's kind on every row of an anomaly span) and spans as {@code
 * entity,start,end,kind,label} (anomalies with label 1, level shifts with label 0 and start = end).
 *
 * <p>Step 0 is never a shift or an anomaly, so the first row's kind is empty and a reader that
 * takes every column whose first value is a number as a feature takes {@code value} and {@code
 * anomaly}.
 */
public final class UnivariateCsv {

  public static final List<String> HEADER =
      List.of("timestamp", "entity", "value", "anomaly", "kind");
  public static final List<String> SPAN_HEADER = List.of("entity", "start", "end", "kind", "label");

  private UnivariateCsv() {}

  /**
   * Writes {@code steps} steps of every entity (rows by time, then entity) and returns the spans in
   * them, anomalies clipped to the last step written.
   */
  public static List<UnivariateSpan> writeRows(Path csv, UnivariateConfig config, long steps)
      throws IOException {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    UnivariateGenerator gen = new UnivariateGenerator(config);
    try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
        CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT)) {
      out.printRecord(HEADER);
      for (long t = 0; t < steps; t++) {
        for (int e = 0; e < gen.entities(); e++) {
          UnivariateRow r = gen.next(e);
          out.printRecord(
              r.timestampMillis(), r.entity(), format(r.value()), r.anomaly(), r.kindId());
        }
      }
    }
    long last = config.startMillis() + (steps - 1) * config.stepMillis();
    List<UnivariateSpan> clipped = new ArrayList<>();
    for (UnivariateSpan span : gen.spans()) {
      UnivariateSpan c = span.clippedTo(last);
      if (c != null) {
        clipped.add(c);
      }
    }
    return clipped;
  }

  /** Plain decimal text of a value (never 1.0E-4), as the rows hold it. */
  static String format(double value) {
    return BigDecimal.valueOf(value).toPlainString();
  }

  public static void writeSpans(Path csv, List<UnivariateSpan> spans) throws IOException {
    try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
        CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT)) {
      out.printRecord(SPAN_HEADER);
      for (UnivariateSpan s : spans) {
        out.printRecord(s.entity(), s.startMillis(), s.endMillis(), s.kind().id(), s.label());
      }
    }
  }

  /**
   * Reads a spans file written by {@link #writeSpans}.
   *
   * @throws IllegalArgumentException naming the file and line when a row does not parse
   */
  public static List<UnivariateSpan> readSpans(Path csv) throws IOException {
    List<UnivariateSpan> spans = new ArrayList<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser in = CSVParser.parse(r, format)) {
      if (!in.getHeaderNames().containsAll(SPAN_HEADER)) {
        throw new IllegalArgumentException(
            csv
                + ": not a univariate spans file; expected the columns "
                + SPAN_HEADER
                + ", found "
                + in.getHeaderNames());
      }
      for (CSVRecord rec : in) {
        try {
          UnivariateSpan span =
              new UnivariateSpan(
                  rec.get("entity"),
                  Long.parseLong(rec.get("start").strip()),
                  Long.parseLong(rec.get("end").strip()),
                  UnivariateKind.fromId(rec.get("kind").strip()));
          int label = Integer.parseInt(rec.get("label").strip());
          if (label != span.label()) {
            throw new IllegalArgumentException(
                "label " + label + " does not match kind " + span.kind());
          }
          spans.add(span);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              csv + " line " + (rec.getRecordNumber() + 1) + ": " + e.getMessage(), e);
        }
      }
    }
    return spans;
  }
}
