package io.vaeguard.model.detect;

/**
 * Everything the detector remembers about one entity between two rows: small, immutable and flat,
 * so that Flink keeps it in keyed state (checkpointed, with a TTL) and the offline verbs in a map,
 * with the same meaning.
 *
 * @param rows rows seen so far
 * @param smoothed the EWMA of the statistic after the last row
 * @param baseline the adaptive baseline (the spec's when adaptation is off)
 * @param run consecutive rows at or above the threshold, capped at the persistence
 * @param normalRun consecutive normal rows while an episode is open
 * @param inEpisode whether an episode is open
 * @param episodeStart event time of the row that opened the episode
 * @param lastAlert event time of the last OPEN or REPEAT alert
 * @param peakSeverity highest severity in the open episode
 * @param lastInput fingerprint of the last row's inputs ({@link Flatline}), {@link
 *     Flatline#UNKNOWN} when not known
 * @param flatRun how many rows in a row have repeated the row before them exactly
 */
public record DetectorState(
    long rows,
    double smoothed,
    double baseline,
    int run,
    int normalRun,
    boolean inEpisode,
    long episodeStart,
    long lastAlert,
    int peakSeverity,
    long lastInput,
    int flatRun) {

  /** The state of an entity not seen yet. */
  public static DetectorState initial(double baseline) {
    return new DetectorState(0, 0, baseline, 0, 0, false, 0, 0, 0, Flatline.UNKNOWN, 0);
  }
}
