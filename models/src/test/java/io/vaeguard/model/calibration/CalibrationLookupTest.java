package io.vaeguard.model.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationLookupTest {

  /** The look-up must give the reference's numbers exactly, wherever a raw score falls. */
  private static void assertSameEverywhere(Calibration c, Random r) {
    CalibrationLookup fast = CalibrationLookup.of(c);
    double[] q = c.quantiles();
    double lo = q[0];
    double hi = Math.max(q[q.length - 1], c.tailStart());
    double span = Math.max(hi - lo, 1e-9);
    for (int k = 0; k < 200_000; k++) {
      double raw = lo - 0.1 * span + 1.3 * span * r.nextDouble();
      assertThat(fast.calibrate(raw)).as("raw %s", raw).isEqualTo(c.calibrate(raw));
    }
    for (double v : q) { // on every quantile point and just beside it
      for (double raw : new double[] {v, Math.nextUp(v), Math.nextDown(v)}) {
        assertThat(fast.calibrate(raw)).as("raw %s", raw).isEqualTo(c.calibrate(raw));
      }
    }
    assertThat(fast.calibrate(Double.NaN)).isNaN();
    assertThat(fast.calibrate(Double.POSITIVE_INFINITY))
        .isEqualTo(c.calibrate(Double.POSITIVE_INFINITY));
  }

  @Test
  void givesTheReferenceNumbersOnSmoothSkewedAndTiedSamples() {
    Random r = new Random(11);
    double[] gaussian = new double[5000];
    double[] heavy = new double[5000];
    double[] ties = new double[5000];
    for (int i = 0; i < 5000; i++) {
      gaussian[i] = r.nextGaussian();
      heavy[i] = Math.exp(3 * r.nextGaussian()); // most points crowd into a few buckets
      ties[i] = Math.floor(4 * r.nextDouble()); // runs of equal quantiles
    }
    assertSameEverywhere(Calibration.fit(gaussian), r);
    assertSameEverywhere(Calibration.fit(heavy), r);
    assertSameEverywhere(Calibration.fit(ties), r);
  }

  @Test
  void aConstantSampleAndAHandWrittenTailAboveTheLastQuantile() {
    Random r = new Random(12);
    double[] constant = new double[100];
    java.util.Arrays.fill(constant, 2.5);
    assertSameEverywhere(Calibration.fit(constant), r);
    assertSameEverywhere(new Calibration(new double[] {0, 1, 2, 3}, 5, 0.05, 1), r);
  }
}
