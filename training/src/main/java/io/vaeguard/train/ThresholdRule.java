package io.vaeguard.train;

/**
 * How a model's default alert threshold is chosen from the raw scores of its fitting rows: the
 * {@code quantile} of those scores times {@code factor}, then mapped to [0,1] by the calibration;
 * an alert needs {@code persistence} consecutive rows at or above it.
 *
 * <p>The factor exists because the fitting rows were seen in training: their scores are lower
 * than those of new normal data, so a threshold at a plain quantile of them raises false alarms.
 */
public record ThresholdRule(double quantile, double factor, int persistence) {

  public static final ThresholdRule DEFAULT = new ThresholdRule(0.99, 3.0, 1);

  public ThresholdRule {
    if (!(quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException("threshold quantile must be in (0,1), got " + quantile);
    }
    if (!(factor > 0) || !Double.isFinite(factor)) {
      throw new IllegalArgumentException("threshold factor must be positive, got " + factor);
    }
    if (persistence < 1) {
      throw new IllegalArgumentException("persistence must be at least 1 row, got " + persistence);
    }
  }

  public String describe() {
    return factor + " x the " + quantile + " quantile of the fitting rows' raw scores"
        + (persistence > 1 ? ", for " + persistence + " rows in a row" : "");
  }
}
