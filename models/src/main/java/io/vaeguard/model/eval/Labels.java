package io.vaeguard.model.eval;

/** Checks on 0/1 label arrays, shared by the metrics so they reject bad input the same way. */
final class Labels {

  private Labels() {}

  static boolean isAnomalous(int[] labels, int i) {
    int v = labels[i];
    if (v != 0 && v != 1) {
      throw new IllegalArgumentException(
          "label at index " + i + " is " + v + "; labels must be 0 or 1");
    }
    return v == 1;
  }

  static boolean[] toBooleans(int[] values, String what) {
    boolean[] out = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0 && values[i] != 1) {
        throw new IllegalArgumentException(
            what + " at index " + i + " is " + values[i] + "; must be 0 or 1");
      }
      out[i] = values[i] == 1;
    }
    return out;
  }
}
