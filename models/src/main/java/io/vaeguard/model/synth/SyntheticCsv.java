package io.vaeguard.model.synth;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
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
 * Batch files from {@link SyntheticGenerator}: readings as {@code
 * timestamp,entity,<channels...>,anomaly,kind} (timestamp in epoch millis, anomaly 0/1, kind empty
 * when normal) and spans as {@code entity,start,end,kind,channels}.
 */
public final class SyntheticCsv {

  public static final List<String> SPAN_HEADER =
      List.of("entity", "start", "end", "kind", "channels");

  private SyntheticCsv() {}

  public static List<String> readingHeader() {
    List<String> h = new ArrayList<>();
    h.add("timestamp");
    h.add("entity");
    h.addAll(Channel.columns());
    h.add("anomaly");
    h.add("kind");
    return h;
  }

  /**
   * Writes {@code steps} steps of every entity (rows by time, then entity) and returns the anomaly
   * spans in them, clipped to the last step written.
   */
  public static List<AnomalySpan> writeReadings(Path csv, GeneratorConfig config, long steps)
      throws IOException {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    SyntheticGenerator gen = new SyntheticGenerator(config);
    try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
        CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT)) {
      out.printRecord(readingHeader());
      List<Object> row = new ArrayList<>();
      for (long t = 0; t < steps; t++) {
        for (int e = 0; e < gen.entities(); e++) {
          Reading r = gen.next(e);
          row.clear();
          row.add(r.eventTimeMillis());
          row.add(r.entityId());
          for (double v : r.values()) {
            row.add(v);
          }
          row.add(r.isAnomalous() ? 1 : 0);
          row.add(r.isAnomalous() ? r.anomaly().name() : "");
          out.printRecord(row);
        }
      }
    }
    long last = config.startMillis() + (steps - 1) * config.stepMillis();
    List<AnomalySpan> clipped = new ArrayList<>();
    for (AnomalySpan span : gen.anomalySpans()) {
      AnomalySpan c = span.clippedTo(last);
      if (c != null) {
        clipped.add(c);
      }
    }
    return clipped;
  }

  /**
   * Reads a spans file written by {@link #writeSpans}.
   *
   * @throws IllegalArgumentException naming the file and line when a row does not parse
   */
  public static List<AnomalySpan> readSpans(Path csv) throws IOException {
    List<AnomalySpan> spans = new ArrayList<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser in = CSVParser.parse(r, format)) {
      if (!in.getHeaderNames().containsAll(SPAN_HEADER)) {
        throw new IllegalArgumentException(
            csv
                + ": not a spans file; expected the columns "
                + SPAN_HEADER
                + ", found "
                + in.getHeaderNames());
      }
      for (CSVRecord rec : in) {
        try {
          List<Channel> channels = new ArrayList<>();
          for (String c : rec.get("channels").split(";")) {
            if (!c.isBlank()) {
              channels.add(channel(c.strip()));
            }
          }
          spans.add(
              new AnomalySpan(
                  rec.get("entity"),
                  Long.parseLong(rec.get("start").strip()),
                  Long.parseLong(rec.get("end").strip()),
                  AnomalyKind.valueOf(rec.get("kind").strip()),
                  channels));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              csv + " line " + (rec.getRecordNumber() + 1) + ": " + e.getMessage(), e);
        }
      }
    }
    return spans;
  }

  private static Channel channel(String column) {
    for (Channel c : Channel.values()) {
      if (c.column().equals(column)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown channel '" + column + "', expected one of " + Channel.columns());
  }

  /** Writes spans, channels joined by {@code ;}. */
  public static void writeSpans(Path csv, List<AnomalySpan> spans) throws IOException {
    try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
        CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT)) {
      out.printRecord(SPAN_HEADER);
      for (AnomalySpan s : spans) {
        String channels = String.join(";", s.channels().stream().map(Channel::column).toList());
        out.printRecord(s.entityId(), s.startMillis(), s.endMillis(), s.kind().name(), channels);
      }
    }
  }
}
