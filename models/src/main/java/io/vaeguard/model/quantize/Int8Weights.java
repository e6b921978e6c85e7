package io.vaeguard.model.quantize;

import io.vaeguard.model.Dense;
import java.util.Arrays;

/**
 * A dense layer's weight matrix quantized to int8, symmetric per output column (zero point 0):
 * {@code W[i][j] ~= values[i * out + j] * scales[j]}.
 *
 * <p>Values stay in [-{@value #LIMIT}, {@value #LIMIT}] (7 bits), not the full int8 range: on x86
 * CPUs without VNNI, ONNX Runtime multiplies uint8 activations by int8 weights with an instruction
 * that adds pairs of products into int16 ({@code pmaddubsw}); 255 * 127 * 2 overflows int16 and
 * saturates silently, while 255 * 63 * 2 = 32130 does not. One bit of weight resolution is the
 * price of exact integer sums on every CPU.
 *
 * @param in rows of the matrix (layer inputs)
 * @param out columns (layer outputs)
 * @param values row-major {@code [in][out]}, like {@link Dense#weights()}
 * @param scales one per output column, all positive
 */
public record Int8Weights(int in, int out, byte[] values, float[] scales) {

  /** Largest magnitude of a quantized weight. */
  public static final int LIMIT = 63;

  public Int8Weights {
    if (values.length != in * out || scales.length != out) {
      throw new IllegalArgumentException(
          "int8 weights of a "
              + in
              + "x"
              + out
              + " layer need "
              + in * out
              + " values and "
              + out
              + " scales, got "
              + values.length
              + " and "
              + scales.length);
    }
  }

  /** Quantizes the weights of {@code d} (the bias stays float; it is added after rescaling). */
  public static Int8Weights quantize(Dense d) {
    int in = d.in();
    int out = d.out();
    float[] w = d.weights();
    float[] scales = new float[out];
    for (int j = 0; j < out; j++) {
      float maxAbs = 0;
      for (int i = 0; i < in; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(w[i * out + j]));
      }
      // An all-zero column quantizes to zeros with any scale; 1 keeps the scale positive.
      scales[j] = maxAbs > 0 ? maxAbs / LIMIT : 1f;
    }
    byte[] q = new byte[in * out];
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < out; j++) {
        int k = i * out + j;
        long r = Math.round(w[k] / scales[j]);
        q[k] = (byte) Math.max(-LIMIT, Math.min(LIMIT, r));
      }
    }
    return new Int8Weights(in, out, q, scales);
  }

  public byte value(int i, int j) {
    return values[i * out + j];
  }

  /** The float weights these values stand for, to measure the quantization error. */
  public float[] dequantize() {
    float[] w = new float[values.length];
    for (int k = 0; k < values.length; k++) {
      w[k] = values[k] * scales[k % out];
    }
    return w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Int8Weights q
        && in == q.in
        && out == q.out
        && Arrays.equals(values, q.values)
        && Arrays.equals(scales, q.scales);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(scales);
  }

  @Override
  public String toString() {
    return "Int8Weights[" + in + "x" + out + "]";
  }
}
