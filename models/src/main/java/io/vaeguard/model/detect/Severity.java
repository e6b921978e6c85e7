package io.vaeguard.model.detect;

/**
 * Severity 0-100 of an anomalous row from how far into the tail of normal rows it lies, on a log
 * scale: every 25 points mean ten times rarer under normal operation. A row just at the threshold
 * (tail probability = the target false-alarm rate) has severity 1; a row a thousand times rarer
 * than the threshold, 75 or more. Normal rows have severity 0.
 *
 * <p>Bands, each ten times rarer than the one below:
 *
 * <table>
 *   <caption>severity bands</caption>
 *   <tr><th>band</th><th>severity</th><th>tail probability under normal data</th></tr>
 *   <tr><td>warning</td><td>1-24</td><td>target FAR down to FAR/10</td></tr>
 *   <tr><td>minor</td><td>25-49</td><td>FAR/10 down to FAR/100</td></tr>
 *   <tr><td>major</td><td>50-74</td><td>FAR/100 down to FAR/1000</td></tr>
 *   <tr><td>critical</td><td>75-100</td><td>below FAR/1000</td></tr>
 * </table>
 */
public final class Severity {

  /** Points per factor ten of rarity. */
  public static final double POINTS_PER_DECADE = 25;

  private Severity() {}

  /**
   * @param tailProbability share of normal rows expected at or beyond this row (1 - score)
   * @param targetFar the detector's target false-alarm rate
   */
  public static int of(boolean anomalous, double tailProbability, double targetFar) {
    if (!anomalous) {
      return 0;
    }
    double p = Math.max(tailProbability, Double.MIN_NORMAL);
    double decades = Math.log10(targetFar / p);
    if (!(decades > 0)) {
      return 1;
    }
    return (int) Math.min(100, 1 + Math.floor(POINTS_PER_DECADE * decades));
  }

  /** The band of a severity. */
  public static Band band(int severity) {
    if (severity <= 0) {
      return Band.NONE;
    }
    if (severity < 25) {
      return Band.WARNING;
    }
    if (severity < 50) {
      return Band.MINOR;
    }
    if (severity < 75) {
      return Band.MAJOR;
    }
    return Band.CRITICAL;
  }

  /** Severity bands, each ten times rarer under normal data than the one before. */
  public enum Band {
    NONE,
    WARNING,
    MINOR,
    MAJOR,
    CRITICAL;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
