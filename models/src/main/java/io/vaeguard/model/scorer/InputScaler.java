package io.vaeguard.model.scorer;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import java.util.List;

/**
 * The model's input side of {@link VaeScorer}: the card's scaler laid over the input's columns (a
 * window of W rows of F features, feature = column % F), the standardisation of raw rows, and the
 * errors for input it cannot take, which name the row, column, feature and window position.
 */
final class InputScaler {

  private final List<String> features;
  private final String modelLabel;
  private final int inputDim;
  private final double[] columnMean; // per input column, so the hot loop needs no modulo
  private final double[] columnStd;

  InputScaler(ModelCard card, String modelLabel) {
    this.features = card.features();
    this.modelLabel = modelLabel;
    this.inputDim = card.inputDim();
    Scaler scaler = card.scaler();
    int f = features.size();
    this.columnMean = new double[inputDim];
    this.columnStd = new double[inputDim];
    for (int c = 0; c < inputDim; c++) {
      columnMean[c] = scaler.mean()[c % f];
      columnStd[c] = scaler.std()[c % f];
    }
  }

  /**
   * Standardises {@code n} raw rows into {@code xnorm}.
   *
   * @throws IllegalArgumentException at the first value that is not finite after standardising
   */
  void standardise(float[] rawRows, int n, float[] xnorm) {
    for (int r = 0, k = 0; r < n; r++) {
      for (int c = 0; c < inputDim; c++, k++) {
        float v = rawRows[k];
        float x = (float) ((v - columnMean[c]) / columnStd[c]);
        if (!Float.isFinite(x)) {
          throw nonFinite(v, r, c);
        }
        xnorm[k] = x;
      }
    }
  }

  /** Checks that {@code n} already standardised rows are finite, naming the first that is not. */
  void requireFinite(float[] rows, int n) {
    int len = n * inputDim;
    for (int k = 0; k < len; k++) {
      if (!Float.isFinite(rows[k])) {
        throw nonFinite(rows[k], k / inputDim, k % inputDim);
      }
    }
  }

  /** Checks that {@code rows} holds {@code n >= 0} rows. */
  void checkRows(float[] rows, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("row count must be >= 0, got " + n);
    }
    if ((long) n * inputDim > rows.length) {
      throw new IllegalArgumentException(
          n
              + " rows of "
              + inputDim
              + " values need "
              + (long) n * inputDim
              + " floats, got "
              + rows.length);
    }
  }

  private IllegalArgumentException nonFinite(float value, int row, int col) {
    int f = features.size();
    String what =
        Float.isFinite(value)
            ? "is "
                + value
                + ", which standardises beyond the float range (mean "
                + columnMean[col]
                + ", std "
                + columnStd[col]
                + ")"
            : "is " + value;
    return new IllegalArgumentException(
        "row "
            + row
            + " column "
            + col
            + " (feature "
            + features.get(col % f)
            + ", window position "
            + col / f
            + ") "
            + what
            + "; model "
            + modelLabel
            + " needs finite inputs");
  }
}
