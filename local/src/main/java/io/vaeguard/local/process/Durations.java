package io.vaeguard.local.process;

import java.time.Duration;

/** Checks of the timeouts a launcher's builder takes. */
public final class Durations {
  private Durations() {}

  /** {@code d} when it is longer than zero; else IllegalArgumentException naming {@code what}. */
  public static Duration requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }
}
