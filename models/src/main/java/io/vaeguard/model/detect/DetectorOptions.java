package io.vaeguard.model.detect;

/**
 * What a user chooses about detection when a model is trained; everything else the detector needs
 * is fitted on the fitting rows ({@link DetectorFit}). The defaults are the ones BENCHMARKS.md
 * measures on SKAB and TEP: no dataset gets flags of its own.
 *
 * @param statistic the per-row number watched
 * @param smoothing weight of the newest row in the exponentially weighted moving average of the
 *     statistic, in (0, 1]; 1 turns smoothing off. 0.1 averages over about the last 20 rows (half
 *     of the weight on the last 6.6), which delays a detection by a few rows and removes most
 *     single-row false alarms.
 * @param targetFar the share of normal rows that may be flagged: the threshold is the calibrated
 *     score {@code 1 - targetFar}
 * @param persistence consecutive rows at or above the threshold before a row is anomalous (1 = the
 *     first)
 * @param resolveAfter consecutive normal rows after which an open episode is resolved
 * @param adaptHalfLife rows over which the detector's per-entity baseline moves halfway to a new
 *     level of the statistic, so that a lasting change of regime stops alerting; 0 turns it off
 * @param spikeChannel with smoothing on, also calibrate each row's own statistic, so that a spike
 *     too short to move the average alerts (it takes {@link Detector#SPIKE_SHARE} of the
 *     false-alarm budget)
 * @param cap with smoothing on, cap each row's part of the average, so that the average is back
 *     under its threshold within a few rows after an anomaly of any size
 * @param flatline alert on runs of rows that repeat their inputs exactly, longer than any run in
 *     the fitting rows ({@link Flatline}: a stuck sensor)
 */
public record DetectorOptions(
    Statistic statistic,
    double smoothing,
    double targetFar,
    int persistence,
    int resolveAfter,
    double adaptHalfLife,
    boolean spikeChannel,
    boolean cap,
    boolean flatline) {

  public static final double DEFAULT_SMOOTHING = 0.1;
  public static final double DEFAULT_TARGET_FAR = 0.001;
  public static final int DEFAULT_RESOLVE_AFTER = 10;

  public static final DetectorOptions DEFAULT =
      new DetectorOptions(
          Statistic.MAX_STANDARDISED,
          DEFAULT_SMOOTHING,
          DEFAULT_TARGET_FAR,
          1,
          DEFAULT_RESOLVE_AFTER,
          0);

  /** Options with the spike channel and the cap on (the defaults). */
  public DetectorOptions(
      Statistic statistic,
      double smoothing,
      double targetFar,
      int persistence,
      int resolveAfter,
      double adaptHalfLife) {
    this(
        statistic,
        smoothing,
        targetFar,
        persistence,
        resolveAfter,
        adaptHalfLife,
        true,
        true,
        true);
  }

  /** These options with the spike channel, the cap and the flatline channel switched as given. */
  public DetectorOptions withStages(boolean spikeChannel, boolean cap, boolean flatline) {
    return new DetectorOptions(
        statistic,
        smoothing,
        targetFar,
        persistence,
        resolveAfter,
        adaptHalfLife,
        spikeChannel,
        cap,
        flatline);
  }

  public DetectorOptions {
    if (statistic == null) {
      throw new IllegalArgumentException("statistic is required");
    }
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new IllegalArgumentException("smoothing must be in (0, 1] (1 = off), got " + smoothing);
    }
    if (!(targetFar > 0 && targetFar < 0.5)) {
      throw new IllegalArgumentException(
          "target false-alarm rate must be in (0, 0.5), got " + targetFar);
    }
    if (persistence < 1) {
      throw new IllegalArgumentException("persistence must be at least 1 row, got " + persistence);
    }
    if (resolveAfter < 1) {
      throw new IllegalArgumentException(
          "resolve-after must be at least 1 row, got " + resolveAfter);
    }
    if (!(adaptHalfLife >= 0) || Double.isInfinite(adaptHalfLife)) {
      throw new IllegalArgumentException(
          "adapt half-life must be >= 0 rows (0 = off), got " + adaptHalfLife);
    }
  }

  /** One line for people (the card's thresholdRule). */
  public String describe() {
    return "calibrated score >= "
        + (1 - targetFar)
        + " (target false-alarm rate "
        + targetFar
        + " of normal rows), "
        + statistic
        + " statistic"
        + (smoothing < 1
            ? ", smoothed (EWMA weight "
                + smoothing
                + (cap ? ", capped" : ", not capped")
                + (spikeChannel ? ", with a spike channel" : ", no spike channel")
                + ")"
            : ", not smoothed")
        + (persistence > 1 ? ", for " + persistence + " rows in a row" : "")
        + (adaptHalfLife > 0
            ? ", baseline adapting with a half-life of " + adaptHalfLife + " rows"
            : "")
        + (flatline ? ", flatline channel" : "");
  }
}
