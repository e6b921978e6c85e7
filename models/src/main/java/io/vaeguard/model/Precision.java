package io.vaeguard.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a model's weights are stored in its ONNX file. The id is what model cards, directory names
 * ({@code models/<id>/}) and command lines use.
 */
public enum Precision {
  /** Plain float weights. */
  FP32("fp32"),
  /** Dynamic int8 quantization: weights int8 per output column, activations quantized per batch. */
  INT8("int8"),
  /**
   * Float16 storage of weights, cast to float when the session loads, so compute stays fp32: half
   * the file size, near-fp32 accuracy. (True fp16 compute is far slower on CPUs.)
   */
  FP16W("fp16w"),
  /**
   * Static int8 quantization (QDQ): QuantizeLinear / DequantizeLinear around every MatMul, with
   * activation scales fixed at export time from calibration rows instead of measured per batch, so
   * a row's score no longer depends on the other rows in its batch. Exporting it needs activation
   * ranges ({@code quantize.ActivationRanges}).
   */
  INT8_STATIC("int8-static");

  private final String id;

  Precision(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Parses an id such as {@code "int8"} (case-insensitive, surrounding blanks ignored). */
  public static Precision parse(String text) {
    if (text != null) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      for (Precision p : values()) {
        if (p.id.equals(t)) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown precision '" + text + "', expected one of " + validIds());
  }

  /** The valid ids, comma separated, for messages and help texts. */
  public static String validIds() {
    return Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
