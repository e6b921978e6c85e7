package io.vaeguard.model.quantize;

/**
 * IEEE 754 binary16 ("half") conversions, bit patterns held in a {@code short}. Java 17 has no
 * {@code Float.floatToFloat16} (it came in Java 20), so we do it ourselves.
 */
public final class Half {

  public static final short POSITIVE_INFINITY = (short) 0x7c00;
  public static final short NEGATIVE_INFINITY = (short) 0xfc00;

  /** Largest finite half, 65504. */
  public static final float MAX_VALUE = 65504f;

  private Half() {}

  /**
   * The half nearest to {@code f}, ties to even (the IEEE default rounding). Values too large
   * become infinities, values too small become (signed) zero or a subnormal half; NaN stays a
   * (quiet) NaN.
   */
  public static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;

    if (exp == 0xff) {
      // Infinity keeps its sign; NaN keeps its top payload bits and is forced quiet.
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
    }
    int e = exp - 127 + 15; // half's biased exponent
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00); // beyond the half range (before rounding)
    }
    if (e <= 0) {
      // Subnormal half (or zero): shift the significand, implicit 1 included, into place.
      if (e < -10) {
        return (short) sign; // below half the smallest subnormal: rounds to zero
      }
      int sig = mant | 0x800000;
      int shift = 14 - e; // 13 bits of float-vs-half mantissa plus the exponent deficit
      return (short) (sign | roundShift(sig, shift));
    }
    // Normal: a carry out of the mantissa rightly bumps the exponent (up to infinity).
    return (short) (sign | ((e << 10) + roundShift(mant, 13)));
  }

  /** {@code value >> shift}, rounded to nearest, ties to even. */
  private static int roundShift(int value, int shift) {
    int kept = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rest > half || (rest == half && (kept & 1) != 0)) {
      kept++;
    }
    return kept;
  }

  /** The float a half stands for (exact: every half is a float). */
  public static float toFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      // Subnormal: mant * 2^-24, exact in float.
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** Converts a whole array. */
  public static short[] fromFloats(float[] values) {
    short[] h = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      h[i] = fromFloat(values[i]);
    }
    return h;
  }
}
