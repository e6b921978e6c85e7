package io.vaeguard.model.synth;

/**
 * One value of one entity at one step of {@link UnivariateGenerator}.
 *
 * @param timestampMillis event time, epoch millis
 * @param entity the entity id ({@code entity-000}, ...)
 * @param value the metric, rounded to 4 decimals (exactly what the CSV holds)
 * @param anomaly 1 inside an anomaly span, else 0
 * @param kind the anomaly kind inside a span, {@link UnivariateKind#LEVEL_SHIFT} on the first row
 *     of a level shift, null on a plain normal row
 */
public record UnivariateRow(
    long timestampMillis, String entity, double value, int anomaly, UnivariateKind kind) {

  public UnivariateRow {
    int expected = kind == null ? 0 : kind.label();
    if (anomaly != expected) {
      throw new IllegalArgumentException(
          "a row of kind " + kind + " has label " + expected + ", not " + anomaly);
    }
  }

  public boolean isAnomalous() {
    return anomaly == 1;
  }

  /** The kind column's text: empty on a plain normal row. */
  public String kindId() {
    return kind == null ? "" : kind.id();
  }
}
