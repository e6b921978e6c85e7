package io.vaeguard.cli.live;

import io.vaeguard.schema.Alert;
import io.vaeguard.schema.FeatureShare;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The live alert view's lines: one per alert event, e.g.
 *
 * <pre>
 * 12:00:03  entity-007  sev 97 critical  score 0.9999 (1 in 7.8M)  pressure 61% flow 22% rpm 9%
 * 12:00:09  entity-007  sev 58 major  score 0.9999 (1 in 190k)  repeat  pressure 55% flow 30% rpm 6%
 * 12:00:20  entity-007  resolved  (episode from 12:00:03, peak sev 97)
 * </pre>
 *
 * and a tally every few seconds, e.g.
 *
 * <pre>
 * -- 12:00:05  42 alerts  input 12,000 records, 98.0/s  anomalies 17: 12 caught, 3 missed, 2 open (recall 80%), 5 alerts outside them
 * </pre>
 */
public final class AlertLines {

  /** Features listed per alert, largest share first. */
  public static final int TOP_FEATURES = 3;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  private AlertLines() {}

  /**
   * How rare the row is among normal rows, {@code 1 / (1 - score)} in two significant figures with
   * k and M: scores near 1 all print as 0.9999 or 1.0000, their rarity does not.
   */
  static String rarity(double score) {
    double p = 1 - score;
    if (!(p > 0)) {
      return "more than 1e15";
    }
    double n = 1 / p;
    if (n < 999.5) {
      return String.format(Locale.ROOT, "%.0f", n);
    }
    String[] units = {"k", "M", "G", "T"};
    int u = -1;
    while (n >= 999.5 && u < units.length - 1) {
      n /= 1000;
      u++;
    }
    return (n < 9.95
            ? String.format(Locale.ROOT, "%.1f", n)
            : String.format(Locale.ROOT, "%.0f", n))
        + units[u];
  }

  /** Whether the event closes an episode (normal again) rather than raising an alert. */
  public static boolean isResolve(Alert a) {
    return "resolve".contentEquals(a.getEvent());
  }

  /**
   * Event time (HH:mm:ss in {@code zone}), entity, severity and band, score, repeat or not, top
   * features with shares; for a resolve event, when its episode started and its peak severity.
   */
  public static String alert(Alert a, ZoneId zone) {
    StringBuilder line = new StringBuilder(80);
    line.append(time(a.getEventTime(), zone)).append("  ").append(a.getEntityId());
    if (isResolve(a)) {
      return line.append("  resolved  (episode from ")
          .append(time(a.getEpisodeStart(), zone))
          .append(", peak sev ")
          .append(a.getPeakSeverity())
          .append(')')
          .toString();
    }
    line.append("  sev ").append(a.getSeverity());
    if (a.getBand() != null && a.getBand().length() > 0) {
      line.append(' ').append(a.getBand());
    }
    line.append("  score ")
        .append(String.format(Locale.ROOT, "%.4f", a.getScore()))
        .append(" (1 in ")
        .append(rarity(a.getScore()))
        .append(')');
    if ("repeat".contentEquals(a.getEvent())) {
      line.append("  repeat");
    }
    List<FeatureShare> top = a.getTopFeatures();
    if (!top.isEmpty()) {
      line.append(' ');
      for (int i = 0; i < Math.min(TOP_FEATURES, top.size()); i++) {
        FeatureShare f = top.get(i);
        line.append(' ')
            .append(f.getFeature())
            .append(' ')
            .append(Math.round(100 * f.getShare()))
            .append('%');
      }
    }
    return line.toString();
  }

  /**
   * The tally line.
   *
   * @param now wall-clock time of the tally
   * @param alerts alerts so far
   * @param skipped records on the alert topic that were not Alerts
   * @param inputRecords records on the input topic so far, or -1 when not known
   * @param inputRate records a second arriving on the input topic, or NaN when not known
   * @param score the scoreboard's tally, or null without labels
   */
  public static String tally(
      Instant now,
      ZoneId zone,
      long alerts,
      long skipped,
      long inputRecords,
      double inputRate,
      AnomalyScoreboard.Tally score) {
    StringBuilder line = new StringBuilder(120);
    line.append("-- ")
        .append(time(now, zone))
        .append("  ")
        .append(String.format(Locale.ROOT, "%,d", alerts))
        .append(alerts == 1 ? " alert" : " alerts");
    if (skipped > 0) {
      line.append(String.format(Locale.ROOT, " (%,d skipped: not Alerts)", skipped));
    }
    if (inputRecords >= 0) {
      line.append(String.format(Locale.ROOT, "  input %,d records", inputRecords));
      if (!Double.isNaN(inputRate)) {
        line.append(String.format(Locale.ROOT, ", %.1f/s", inputRate));
      }
    }
    if (score != null) {
      line.append(
          String.format(
              Locale.ROOT,
              "  anomalies %d: %d caught, %d missed, %d open",
              score.anomalies(),
              score.caught(),
              score.missed(),
              score.open()));
      if (!Double.isNaN(score.recall())) {
        line.append(String.format(Locale.ROOT, " (recall %.0f%%)", 100 * score.recall()));
      }
      line.append(String.format(Locale.ROOT, ", %,d alerts outside them", score.alertsOutside()));
    }
    return line.toString();
  }

  private static String time(Instant t, ZoneId zone) {
    return TIME.format(t.atZone(zone));
  }
}
