package io.vaeguard.pipeline.serde;

import io.vaeguard.schema.Observation;
import java.util.List;
import java.util.Map;

/**
 * Turns an observation's named features into the vector a model expects, in the model card's order.
 * Extra features are ignored (a producer may send more than one model uses); a missing or
 * non-finite one, or one beyond the float range, is a failure with a reason, for the dead-letter
 * topic.
 */
public final class FeatureVectorizer {

  private final String[] names;

  public FeatureVectorizer(List<String> featureNames) {
    if (featureNames.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one feature");
    }
    this.names = featureNames.toArray(String[]::new);
  }

  public int size() {
    return names.length;
  }

  /**
   * Writes the features into {@code out[offset..offset+size)}; returns null or the failure reason.
   */
  public String vectorize(Observation obs, float[] out, int offset) {
    Map<String, Double> features = obs.getFeatures();
    for (int i = 0; i < names.length; i++) {
      Double v = features.get(names[i]);
      if (v == null) {
        return missing(names[i]);
      }
      double d = v;
      String failure = check(names[i], d);
      if (failure != null) {
        return failure;
      }
      out[offset + i] = (float) d;
    }
    return null;
  }

  /** The reason for a feature the observation does not have. */
  public static String missing(String name) {
    return "missing feature: " + name;
  }

  /** Null if {@code value} of a present feature can be a model input, else the reason. */
  public static String check(String name, double value) {
    if (!Double.isFinite(value)) {
      return "non-finite feature: " + name + "=" + value;
    }
    if (!Float.isFinite((float) value)) {
      // finite as a double but not as the model's float input: it would fail the scoring batch
      return "feature out of float range: " + name + "=" + value;
    }
    return null;
  }

  /** Allocating variant for tests and tools. */
  public Decoded<float[]> vectorize(Observation obs) {
    float[] out = new float[names.length];
    String failure = vectorize(obs, out, 0);
    return failure == null ? Decoded.ok(out) : Decoded.failed(failure);
  }
}
