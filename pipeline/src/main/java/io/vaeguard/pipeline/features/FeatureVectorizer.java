package io.vaeguard.pipeline.features;

import io.vaeguard.pipeline.serde.Decoded;
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

  /** Writes the features into {@code out[offset..offset+size)}; returns null or the failure reason. */
  public String vectorize(Observation obs, float[] out, int offset) {
    Map<String, Double> features = obs.getFeatures();
    for (int i = 0; i < names.length; i++) {
      Double v = features.get(names[i]);
      if (v == null) {
        return "missing feature: " + names[i];
      }
      double d = v;
      if (!Double.isFinite(d)) {
        return "non-finite feature: " + names[i] + "=" + d;
      }
      float f = (float) d;
      if (!Float.isFinite(f)) {
        // finite as a double but not as the model's float input: it would fail the scoring batch
        return "feature out of float range: " + names[i] + "=" + d;
      }
      out[offset + i] = f;
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
