package io.vaeguard.model.detect;

/**
 * The detector's verdict on one row.
 *
 * @param statistic the row's own statistic
 * @param smoothed the statistic after smoothing (and the adaptive baseline, when on)
 * @param score calibrated score in [0, 1): the share of normal rows expected below this row's
 *     smoothed statistic; 1 - score is its tail probability
 * @param anomalous the decision: at or above the threshold for {@code persistence} rows
 * @param severity 0 for normal rows, 1-100 for anomalous ones ({@link Severity})
 * @param event what this row does to the entity's episode
 * @param episodeStart event time at which the row's episode opened (0 outside an episode); for a
 *     RESOLVE, the episode being closed
 * @param peakSeverity highest severity of the episode so far (for a RESOLVE: of the whole episode)
 */
public record Decision(
    double statistic,
    double smoothed,
    double score,
    boolean anomalous,
    int severity,
    AlertEvent event,
    long episodeStart,
    int peakSeverity) {

  public Severity.Band band() {
    return Severity.band(severity);
  }
}
