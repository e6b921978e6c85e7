package io.vaeguard.train;

/**
 * Training rows checked and split chronologically: the first rows train, the last
 * {@code validationFraction} validate. No shuffle before the split, so validation measures how the
 * model does on later data, as it will in production.
 */
final class RowSplit {

  /** Fewest rows worth fitting a VAE on; fewer would make every later number meaningless. */
  static final int MIN_TRAIN_ROWS = 2;

  final int width;
  final float[][] train;
  final float[][] validation;

  private RowSplit(int width, float[][] train, float[][] validation) {
    this.width = width;
    this.train = train;
    this.validation = validation;
  }

  static RowSplit of(float[][] rows, double validationFraction) {
    if (rows == null || rows.length == 0) {
      throw new IllegalArgumentException("no training rows given");
    }
    int width = checkedWidth(rows);
    int n = rows.length;
    int validationRows = validationFraction == 0 ? 0 : Math.max(1, (int) Math.round(n * validationFraction));
    int trainRows = n - validationRows;
    if (trainRows < MIN_TRAIN_ROWS) {
      throw new IllegalArgumentException(
          "too few rows: " + n + " given, but validation fraction " + validationFraction + " holds out "
              + validationRows + " and training needs at least " + MIN_TRAIN_ROWS + " more");
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
        throw new IllegalArgumentException("row " + r + " has " + (rows[r] == null ? 0 : rows[r].length)
            + " features but row 0 has " + width);
      }
      for (int j = 0; j < width; j++) {
        if (!Float.isFinite(rows[r][j])) {
          throw new IllegalArgumentException("row " + r + ", feature " + j + " is not finite: " + rows[r][j]);
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
