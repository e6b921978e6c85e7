package io.vaeguard.model.offline;

import io.vaeguard.model.detect.AlertEvent;

/**
 * Scores and decisions of every row of a table. A row without a full window yet (fewer than W rows
 * of its entity so far) has {@code scored[i] == false}, score 0 and no alert: it is warming up.
 *
 * @param scored whether the row had a full window
 * @param score the detector's calibrated score in [0,1): the share of normal rows below this row
 * @param raw raw score
 * @param statistic the row's detector statistic, before smoothing
 * @param smoothed the statistic as the detector watches it (smoothed, and adapted when the card
 *     says)
 * @param reconstructionError mean squared reconstruction error
 * @param kl KL divergence
 * @param alert the detector's decision: the row is anomalous
 * @param severity 0 for normal rows, 1-100 for anomalous ones
 * @param event what the row does to its entity's alert episode
 * @param topFeature the feature with the largest share of the error, per scored row
 */
public record RowScores(
    boolean[] scored,
    double[] score,
    double[] raw,
    double[] statistic,
    double[] smoothed,
    double[] reconstructionError,
    double[] kl,
    boolean[] alert,
    int[] severity,
    AlertEvent[] event,
    String[] topFeature) {

  public static RowScores ofSize(int n) {
    AlertEvent[] events = new AlertEvent[n];
    java.util.Arrays.fill(events, AlertEvent.NONE);
    return new RowScores(
        new boolean[n],
        new double[n],
        new double[n],
        new double[n],
        new double[n],
        new double[n],
        new double[n],
        new boolean[n],
        new int[n],
        events,
        new String[n]);
  }

  public int rows() {
    return score.length;
  }
}
