package io.vaeguard.model.eval;

import io.vaeguard.model.detect.Severity;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Precision of the anomalous rows per severity band: of the rows flagged in a band, the share the
 * labels call anomalous. A severity that means something shows a precision that grows with the
 * band.
 *
 * @param flagged per band, rows flagged anomalous
 * @param correct per band, those labelled anomalous
 */
public record BandPrecision(
    Map<Severity.Band, Integer> flagged, Map<Severity.Band, Integer> correct) {

  public static final BandPrecision EMPTY = new BandPrecision(Map.of(), Map.of());

  public BandPrecision {
    flagged = Map.copyOf(flagged);
    correct = Map.copyOf(correct);
  }

  /** Counts the rows with severity > 0 (the anomalous ones) by band. */
  public static BandPrecision of(int[] severities, int[] labels) {
    if (severities.length != labels.length) {
      throw new IllegalArgumentException(
          severities.length + " severities for " + labels.length + " labels");
    }
    Map<Severity.Band, Integer> f = new EnumMap<>(Severity.Band.class);
    Map<Severity.Band, Integer> c = new EnumMap<>(Severity.Band.class);
    for (int i = 0; i < severities.length; i++) {
      if (severities[i] > 0) {
        Severity.Band b = Severity.band(severities[i]);
        f.merge(b, 1, Integer::sum);
        c.merge(b, labels[i] != 0 ? 1 : 0, Integer::sum);
      }
    }
    return new BandPrecision(f, c);
  }

  public BandPrecision plus(BandPrecision o) {
    Map<Severity.Band, Integer> f = new EnumMap<>(Severity.Band.class);
    Map<Severity.Band, Integer> c = new EnumMap<>(Severity.Band.class);
    f.putAll(flagged);
    c.putAll(correct);
    o.flagged.forEach((k, v) -> f.merge(k, v, Integer::sum));
    o.correct.forEach((k, v) -> c.merge(k, v, Integer::sum));
    return new BandPrecision(f, c);
  }

  /** Precision in a band, NaN when it has no row. */
  public double precision(Severity.Band band) {
    int n = flagged.getOrDefault(band, 0);
    return n == 0 ? Double.NaN : (double) correct.getOrDefault(band, 0) / n;
  }

  public int rows(Severity.Band band) {
    return flagged.getOrDefault(band, 0);
  }

  /** One line: {@code warning 0.62 (n=310), minor 0.80 (n=95), ...}. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Severity.Band b : Severity.Band.values()) {
      if (b == Severity.Band.NONE) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      int n = rows(b);
      sb.append(b.id())
          .append(' ')
          .append(n == 0 ? "-" : String.format(Locale.ROOT, "%.2f", precision(b)))
          .append(" (n=")
          .append(n)
          .append(')');
    }
    return sb.toString();
  }
}
