package io.vaeguard.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.schema.Observation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureVectorizerTest {

  private static Observation obs(Map<String, Double> features) {
    return Observation.newBuilder()
        .setEntityId("e")
        .setEventTime(Instant.EPOCH)
        .setFeatures(features)
        .build();
  }

  @Test
  void ordersByTheCardAndIgnoresExtras() {
    FeatureVectorizer v = new FeatureVectorizer(List.of("b", "a"));
    float[] out = new float[5];
    assertThat(v.vectorize(obs(Map.of("a", 1.0, "b", 2.0, "c", 9.0)), out, 3)).isNull();
    assertThat(out).containsExactly(0f, 0f, 0f, 2f, 1f);
  }

  @Test
  void missingAndNonFiniteFeaturesNameTheFeature() {
    FeatureVectorizer v = new FeatureVectorizer(List.of("a", "b"));
    assertThat(v.vectorize(obs(Map.of("a", 1.0))).failure()).isEqualTo("missing feature: b");
    Map<String, Double> nan = new HashMap<>(Map.of("a", 1.0));
    nan.put("b", Double.NaN);
    assertThat(v.vectorize(obs(nan)).failure()).isEqualTo("non-finite feature: b=NaN");
    Map<String, Double> inf = new HashMap<>(Map.of("b", 1.0));
    inf.put("a", Double.NEGATIVE_INFINITY);
    assertThat(v.vectorize(obs(inf)).failure()).isEqualTo("non-finite feature: a=-Infinity");
    // finite as a double, infinite as the model's float: refused here rather than failing a batch
    assertThat(v.vectorize(obs(Map.of("a", 1e300, "b", 1.0))).failure())
        .isEqualTo("feature out of float range: a=1.0E300");
  }

  @Test
  void refusesAModelWithoutFeatures() {
    assertThatThrownBy(() -> new FeatureVectorizer(List.of()))
        .hasMessageContaining("at least one feature");
  }
}
