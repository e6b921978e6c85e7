package io.vaeguard.model.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfTest {

  private static short h(int bits) {
    return (short) bits;
  }

  @Test
  void everyHalfSurvivesTheRoundTrip() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = Half.toFloat(h(bits));
      if (Float.isNaN(f)) {
        assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(f)))).isTrue();
      } else {
        assertThat(Half.fromFloat(f) & 0xffff).as("half 0x%04x", bits).isEqualTo(bits);
      }
    }
  }

  @Test
  void knownValues() {
    assertThat(Half.fromFloat(1f)).isEqualTo(h(0x3c00));
    assertThat(Half.fromFloat(-2f)).isEqualTo(h(0xc000));
    assertThat(Half.fromFloat(1 / 3f)).isEqualTo(h(0x3555));
    assertThat(Half.fromFloat(-0f)).isEqualTo(h(0x8000));
    assertThat(Half.fromFloat(65504f)).isEqualTo(h(0x7bff));
    assertThat(Half.fromFloat(65519.99f)).isEqualTo(h(0x7bff)); // just below the midpoint to 65536
    assertThat(Half.fromFloat(65520f)).isEqualTo(Half.POSITIVE_INFINITY); // tie, to even = overflow
    assertThat(Half.fromFloat(1e10f)).isEqualTo(Half.POSITIVE_INFINITY);
    assertThat(Half.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo(Half.NEGATIVE_INFINITY);
    assertThat(Half.fromFloat(0x1p-24f)).isEqualTo(h(0x0001)); // smallest subnormal
    assertThat(Half.fromFloat(0x1p-14f)).isEqualTo(h(0x0400)); // smallest normal
    assertThat(Half.fromFloat(0x1.ff8p-15f))
        .isEqualTo(h(0x03ff)); // 1023 * 2^-24, largest subnormal
    assertThat(Half.fromFloat(0x1.ffcp-15f))
        .isEqualTo(h(0x0400)); // 1023.5 ulps: tie, rounds up into normal
  }

  @Test
  void tiesGoToEven() {
    // 1 + 2^-11 lies halfway between 1 (mantissa 0, even) and 1 + 2^-10 (mantissa 1)
    assertThat(Half.fromFloat(1 + 0x1p-11f)).isEqualTo(h(0x3c00));
    // 1 + 3 * 2^-11 lies halfway between mantissa 1 and mantissa 2 (even)
    assertThat(Half.fromFloat(1 + 3 * 0x1p-11f)).isEqualTo(h(0x3c02));
    // 2^-25 is halfway between 0 and the smallest subnormal: to 0; 3 * 2^-25 between 1 and 2 ulps:
    // to 2
    assertThat(Half.fromFloat(0x1p-25f)).isEqualTo(h(0));
    assertThat(Half.fromFloat(3 * 0x1p-25f)).isEqualTo(h(2));
    // just above a tie rounds up
    assertThat(Half.fromFloat(Math.nextUp(1 + 0x1p-11f))).isEqualTo(h(0x3c01));
  }

  @Test
  void resultIsTheNearestHalfForFloatsAcrossTheRange() {
    // every 997th float bit pattern: all exponents, signs, subnormals, both sides of the range
    for (long u = 0; u <= 0xffffffffL; u += 997) {
      float f = Float.intBitsToFloat((int) u);
      if (Float.isNaN(f) || Math.abs(f) >= 65520f) {
        continue;
      }
      short got = Half.fromFloat(f);
      double err = Math.abs(Half.toFloat(got) - (double) f);
      // the neighbours of the answer, one step towards and away from zero, are no closer
      for (int step : new int[] {-1, 1}) {
        int nb = (got & 0x7fff) + step;
        if (nb < 0 || nb > 0x7bff) {
          continue;
        }
        double nbErr = Math.abs(Half.toFloat((short) ((got & 0x8000) | nb)) - (double) f);
        assertThat(err).as("float %s -> 0x%04x", f, got & 0xffff).isLessThanOrEqualTo(nbErr);
        if (err == nbErr) {
          assertThat(got & 1).as("tie of %s goes to even", f).isZero();
        }
      }
    }
  }
}
