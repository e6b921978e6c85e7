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

  private static final java.util.regex.Pattern DESCRIBED = java.util.regex.Pattern.compile(
      "^\\s*([0-9.eE+-]+) x the ([0-9.eE+-]+) quantile of the fitting rows' raw scores.*");

  /**
   * The rule a card's threshold was set by, read back from its {@code thresholdRule} text (what
   * {@link #describe()} wrote) and its persistence.
   *
   * @throws IllegalArgumentException when the card's text is not one this class wrote
   */
  public static ThresholdRule of(io.vaeguard.model.card.ModelCard card) {
    String text = card.thresholdRule();
    java.util.regex.Matcher m = DESCRIBED.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("model card " + card.name() + ": cannot read the threshold rule '" + text
          + "'; expected e.g. '3.0 x the 0.99 quantile of the fitting rows' raw scores'");
    }
    return new ThresholdRule(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(1)), card.persistence());
  }

  public String describe() {
    return factor + " x the " + quantile + " quantile of the fitting rows' raw scores"
        + (persistence > 1 ? ", for " + persistence + " rows in a row" : "");
  }
}
