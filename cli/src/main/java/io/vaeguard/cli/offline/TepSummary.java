package io.vaeguard.cli.offline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes the TEP protocol's {@code summary.md}, {@code summary.csv} and bar chart. */
public final class TepSummary {

  public static final String CHART = "detection-per-fault.png";

  private TepSummary() {}

  /**
   * Writes the three files into {@code out}; {@code commandLine} is quoted at the top of the
   * markdown.
   */
  public static void write(Path out, TepProtocol.Outcome o, String commandLine) {
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("summary.md"), markdown(o, commandLine));
      Files.writeString(out.resolve("summary.csv"), csv(o.result()));
      TepChart.write(out.resolve(CHART), o.result());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the summary to " + out + ": " + e.getMessage(), e);
    }
  }

  /** What the figures mean, in one line: the protocol they follow. */
  static String protocol(TepResult r, int window) {
    int last = r.faults().size();
    return String.format(
        Locale.ROOT,
        "Protocol: Tennessee Eastman Process, one model fitted on %s only; each of %s .. %s scored causally from its "
            + "first sample (window %d); fault k starts after sample %d; detection rate = share of samples %d..%d "
            + "alerted; false-alarm rate = share of samples 1..%d alerted (per file, and pooled over the %d fault "
            + "files) and share of all samples of %s alerted; a sample without a full window counts as not alerted.",
        TepData.TRAIN_FILE,
        TepData.testFile(0),
        TepData.testFile(last),
        window,
        TepResult.FAULT_START,
        TepResult.FAULT_START + 1,
        TepResult.FAULT_START + r.faults().get(0).afterFault().rows(),
        TepResult.FAULT_START,
        last,
        TepData.testFile(0));
  }

  static String markdown(TepProtocol.Outcome o, String commandLine) {
    TepResult r = o.result();
    StringBuilder md = new StringBuilder("# Evaluation: Tennessee Eastman Process\n\n");
    md.append('`').append(commandLine).append("`\n\n");
    md.append(protocol(r, o.card().window())).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Model: %s, %d features, window %d, %d epochs (%.1f s to fit); "
                + "threshold %.6f: %s; persistence %d. Total %.1f s.%n%n",
            o.card().precision(),
            o.card().features().size(),
            o.card().window(),
            o.epochs(),
            o.trainSeconds(),
            o.card().threshold(),
            o.card().thresholdRule(),
            o.card().persistence(),
            o.seconds()));
    md.append("**").append(r.headline()).append("**\n\n");
    if (o.bands() != null) {
      md.append(
              "Precision of the anomalous rows by severity band (samples after a fault starts count as anomalous): ")
          .append(o.bands().describe())
          .append(".\n\n");
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| fault | detection %% (samples %d..) | alerted | false alarms %% (samples 1..%d) | alerted |%n",
            TepResult.FAULT_START + 1,
            TepResult.FAULT_START));
    md.append("| ---: | ---: | ---: | ---: | ---: |\n");
    for (TepResult.Fault f : r.faults()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d%s | %.1f | %d / %d | %.1f | %d / %d |%n",
              f.k(),
              TepResult.UNDETECTABLE.contains(f.k()) ? " *" : "",
              f.detectionPercent(),
              f.afterFault().alerted(),
              f.afterFault().rows(),
              f.falseAlarmPercent(),
              f.beforeFault().alerted(),
              f.beforeFault().rows()));
    }
    TepResult.Rate before = r.pooledBeforeFault();
    TepResult.Rate after = r.pooledAfterFault();
    md.append(
        String.format(
            Locale.ROOT,
            "| pooled, %d faults | %.1f | %d / %d | %.1f | %d / %d |%n",
            r.faults().size(),
            after.percent(),
            after.alerted(),
            after.rows(),
            before.percent(),
            before.alerted(),
            before.rows()));
    md.append(
        String.format(
            Locale.ROOT,
            "| mean, %d faults | %.1f | | | |%n",
            r.faults().size(),
            r.meanDetectionPercent()));
    md.append(
        String.format(
            Locale.ROOT,
            "| mean, %d faults (without 3, 9, 15) | %.1f | | | |%n",
            r.detectableFaults(),
            r.meanDetectionPercentDetectable()));
    md.append(
        String.format(
            Locale.ROOT,
            "%nFalse alarms on %s (normal operation, all %d samples): **%.1f%%** (%d alerted).%n%n",
            TepData.testFile(0),
            r.normal().rows(),
            r.normal().percent(),
            r.normal().alerted()));
    md.append("\\* practically undetectable (left out of the second mean).\n\n");
    md.append("![detection rate per fault](").append(CHART).append(")\n");
    return md.toString();
  }

  /**
   * One line per test file, then the pooled and mean lines; empty fields where a figure does not
   * apply (d00_te.dat has no fault rows, the means no counts).
   */
  static String csv(TepResult r) {
    StringBuilder csv =
        new StringBuilder(
            "file,fault,rows_before_fault,alerted_before_fault,false_alarm_percent,"
                + "rows_after_fault,alerted_after_fault,detection_percent\n");
    csv.append(
        String.format(
            Locale.ROOT,
            "%s,0,%d,%d,%.2f,0,0,%n",
            TepData.testFile(0),
            r.normal().rows(),
            r.normal().alerted(),
            r.normal().percent()));
    for (TepResult.Fault f : r.faults()) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%d,%d,%d,%.2f,%d,%d,%.2f%n",
              TepData.testFile(f.k()),
              f.k(),
              f.beforeFault().rows(),
              f.beforeFault().alerted(),
              f.falseAlarmPercent(),
              f.afterFault().rows(),
              f.afterFault().alerted(),
              f.detectionPercent()));
    }
    TepResult.Rate before = r.pooledBeforeFault();
    TepResult.Rate after = r.pooledAfterFault();
    csv.append(
        String.format(
            Locale.ROOT,
            "pooled,,%d,%d,%.2f,%d,%d,%.2f%n",
            before.rows(),
            before.alerted(),
            before.percent(),
            after.rows(),
            after.alerted(),
            after.percent()));
    csv.append(
        String.format(
            Locale.ROOT,
            "mean %d faults,,,,,,,%.2f%n",
            r.faults().size(),
            r.meanDetectionPercent()));
    csv.append(
        String.format(
            Locale.ROOT,
            "mean %d faults without 3 9 15,,,,,,,%.2f%n",
            r.detectableFaults(),
            r.meanDetectionPercentDetectable()));
    return csv.toString();
  }
}
