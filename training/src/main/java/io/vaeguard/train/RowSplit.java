package io.vaeguard.train;

/**
 * Training rows checked and split chronologically: the first rows train, the last {@code
 * validationFraction} validate. No shuffle before the split, so validation measures how the model
 * does on later data, as it will in production.
 */
final class RowSplit {

  /** Fewest rows worth fitting a VAE on; fewer would make every later number meaningless. */
  static final int MIN_TRAIN_ROWS = 2;

  final int width;
  final float[][] train;
  final float[][] validation;

  /** Reconstruction targets split like the rows, or null when the target is the input. */
  final float[][] trainTarget;

  final float[][] validationTarget;

  /** mu targets split like the rows, or null. */
  final float[][] trainMu;

  final float[][] validationMu;

  private RowSplit(int width, float[][] train, float[][] validation) {
    this(width, train, validation, null, null, null, null);
  }

  private RowSplit(
      int width,
      float[][] train,
      float[][] validation,
      float[][] trainTarget,
      float[][] validationTarget,
      float[][] trainMu,
      float[][] validationMu) {
    this.width = width;
    this.train = train;
    this.validation = validation;
    this.trainTarget = trainTarget;
    this.validationTarget = validationTarget;
    this.trainMu = trainMu;
    this.validationMu = validationMu;
  }

  /**
   * As {@link #of(float[][], double)}, with targets split at the same row; null targets: the input.
   */
  static RowSplit of(float[][] rows, TrainTargets targets, double validationFraction) {
    RowSplit s = of(rows, validationFraction);
    if (targets == null) {
      return s;
    }
    if (targets.recon().length != rows.length) {
      throw new IllegalArgumentException(
          rows.length + " rows but " + targets.recon().length + " recon targets");
    }
    if (checkedWidth(targets.recon()) != s.width) {
      throw new IllegalArgumentException(
          "recon targets must be "
              + s.width
              + " wide like the rows, got "
              + targets.recon()[0].length);
    }
    int n = s.train.length;
    float[][] mu = targets.hasMu() ? targets.mu() : null;
    if (mu != null) {
      checkedWidth(mu);
    }
    return new RowSplit(
        s.width,
        s.train,
        s.validation,
        java.util.Arrays.copyOfRange(targets.recon(), 0, n),
        java.util.Arrays.copyOfRange(targets.recon(), n, rows.length),
        mu == null ? null : java.util.Arrays.copyOfRange(mu, 0, n),
        mu == null ? null : java.util.Arrays.copyOfRange(mu, n, rows.length));
  }

  static RowSplit of(float[][] rows, double validationFraction) {
    if (rows == null || rows.length == 0) {
      throw new IllegalArgumentException("no training rows given");
    }
    int width = checkedWidth(rows);
    int n = rows.length;
    int validationRows =
        validationFraction == 0 ? 0 : Math.max(1, (int) Math.round(n * validationFraction));
    int trainRows = n - validationRows;
    if (trainRows < MIN_TRAIN_ROWS) {
      throw new IllegalArgumentException(
          "too few rows: "
              + n
              + " given, but validation fraction "
              + validationFraction
              + " holds out "
              + validationRows
              + " and training needs at least "
              + MIN_TRAIN_ROWS
              + " more");
    }
    float[][] train = new float[trainRows][];
    float[][] validation = new float[validationRows][];
    System.arraycopy(rows, 0, train, 0, trainRows);
    System.arraycopy(rows, trainRows, validation, 0, validationRows);
    return new RowSplit(width, train, validation);
  }

  /** Width shared by all rows; rejects ragged rows and non-finite values (they poison training). */
  static int checkedWidth(float[][] rows) {
    int width = rows[0] == null ? 0 : rows[0].length;
    if (width == 0) {
      throw new IllegalArgumentException("row 0 has no features");
    }
    for (int r = 0; r < rows.length; r++) {
      if (rows[r] == null || rows[r].length != width) {
        throw new IllegalArgumentException(
            "row "
                + r
                + " has "
                + (rows[r] == null ? 0 : rows[r].length)
                + " features but row 0 has "
                + width);
      }
      for (int j = 0; j < width; j++) {
        if (!Float.isFinite(rows[r][j])) {
          throw new IllegalArgumentException(
              "row " + r + ", feature " + j + " is not finite: " + rows[r][j]);
        }
      }
    }
    return width;
  }

  /** Rows {@code order[from..from+count)} of {@code rows}, flattened row-major. */
  static float[] gather(float[][] rows, int[] order, int from, int count, int width) {
    float[] flat = new float[count * width];
    for (int i = 0; i < count; i++) {
      System.arraycopy(rows[order[from + i]], 0, flat, i * width, width);
    }
    return flat;
  }

  static float[] flatten(float[][] rows, int width) {
    float[] flat = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }

  static float[][] unflatten(float[] flat, int rows, int width) {
    float[][] out = new float[rows][width];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * width, out[i], 0, width);
    }
    return out;
  }
}
