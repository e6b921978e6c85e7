package io.vaeguard.cli.offline;

/**
 * Scores of every row of a table. A row without a full window yet (fewer than W rows of its entity
 * so far) has {@code scored[i] == false}, score 0 and no alert.
 *
 * @param scored whether the row had a full window
 * @param score calibrated score in [0,1]
 * @param raw raw score
 * @param reconstructionError mean squared reconstruction error
 * @param kl KL divergence
 * @param above score at or above the card's threshold
 * @param alert above for {@code persistence} rows in a row (of the same entity)
 * @param topFeature the feature with the largest share of the error, per scored row
 */
public record RowScores(
    boolean[] scored,
    double[] score,
    double[] raw,
    double[] reconstructionError,
    double[] kl,
    boolean[] above,
    boolean[] alert,
    String[] topFeature) {

  public int rows() {
    return score.length;
  }
}
