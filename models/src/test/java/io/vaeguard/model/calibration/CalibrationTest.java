package io.vaeguard.model.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  /** Validation-like raw scores: skewed (log-normal), with ties. */
  private static double[] scores(long seed, int n) {
    Random rnd = new Random(seed);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.exp(rnd.nextGaussian());
      if (i % 10 == 0) {
        s[i] = 1.0; // a run of equal values
      }
    }
    return s;
  }

  @Test
  void monotoneAndWithinZeroOne() {
    Calibration c = Calibration.fit(scores(1, 500));
    double prev = -1;
    for (double raw = -1; raw < 200; raw += 0.01) {
      double p = c.calibrate(raw);
      assertThat(p)
          .as("calibrate(%s)", raw)
          .isGreaterThanOrEqualTo(0)
          .isLessThan(1)
          .isGreaterThanOrEqualTo(prev);
      prev = p;
    }
  }

  @Test
  void farBeyondValidationStaysBelowOne() {
    // an exponential tail reaches 1.0 in double precision long before infinity; the map promises
    // [0,1)
    Calibration c = Calibration.fit(scores(2, 500));
    for (double raw : new double[] {1e3, 1e6, 1e300, Double.POSITIVE_INFINITY}) {
      assertThat(c.calibrate(raw)).as("calibrate(%s)", raw).isLessThan(1).isGreaterThan(0.999);
    }
    assertThat(c.calibrate(Double.NEGATIVE_INFINITY)).isZero();
    assertThat(c.calibrate(Double.NaN)).isNaN();
  }

  @Test
  void rawAtInvertsCalibrate() {
    // without ties the map is strictly increasing: a true inverse both ways
    Random rnd = new Random(3);
    double[] s = new double[1000];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.exp(rnd.nextGaussian());
    }
    Calibration c = Calibration.fit(s);
    for (double p = 0.001; p < 0.9999; p += 0.001) {
      assertThat(c.calibrate(c.rawAt(p))).as("p = %s", p).isCloseTo(p, within(1e-9));
    }
    for (double raw = 0.5; raw < 30; raw += 0.25) {
      assertThat(c.rawAt(c.calibrate(raw))).as("raw = %s", raw).isCloseTo(raw, within(1e-9 * raw));
    }
  }

  @Test
  void onTiesRawAtIsTheGeneralisedInverse() {
    // a run of equal validation scores is a jump of the CDF: rawAt(p) for p inside the jump is the
    // tied value, whose calibrated score is the top of the jump (P(X <= x)), so never below p
    Calibration c = Calibration.fit(scores(3, 1000));
    for (double p = 0.001; p < 0.9999; p += 0.001) {
      assertThat(c.calibrate(c.rawAt(p))).as("p = %s", p).isGreaterThanOrEqualTo(p - 1e-9);
    }
  }

  @Test
  void aHandBuiltMapWithTheTailAboveItsLastQuantileDoesNotFail() {
    // cards can be written by hand; a tail start beyond the stored quantiles must still calibrate
    Calibration c = new Calibration(new double[] {0, 1}, 5, 0.05, 1);
    assertThat(c.calibrate(0.5)).isEqualTo(0.5);
    assertThat(c.calibrate(3)).isEqualTo(0.95);
    assertThat(c.calibrate(5)).isEqualTo(0.95);
    assertThat(c.calibrate(6)).isCloseTo(1 - 0.05 * Math.exp(-1), within(1e-12));
  }

  @Test
  void linearSampleGivesTheIdentityBelowTheTail() {
    double[] s = new double[101];
    for (int i = 0; i < s.length; i++) {
      s[i] = i / 100.0;
    }
    Calibration c = Calibration.fit(s);
    assertThat(c.tailStart()).isCloseTo(0.95, within(1e-12));
    // mean excess over 0.95 of 0.96..1.00 = 0.03
    assertThat(c.tailScale()).isCloseTo(0.03, within(1e-12));
    for (double raw = 0; raw < 0.95; raw += 0.01) {
      assertThat(c.calibrate(raw)).isCloseTo(raw, within(1e-12));
    }
  }
}
