package io.vaeguard.pipeline.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.schema.Observation;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledObservationsTest {

  @Test
  void aStreamIsInTimeOrderAcrossEntitiesWithItsGroundTruthAsLabels() throws Exception {
    List<Observation> stream = LabelledObservations.stream(7, 3, 200, 0.05);
    assertThat(stream).hasSize(600);
    // one step of every entity, then the next: event times never go back, steps are one minute
    for (int i = 1; i < stream.size(); i++) {
      assertThat(stream.get(i).getEventTime()).isAfterOrEqualTo(stream.get(i - 1).getEventTime());
    }
    assertThat(
            stream.get(3).getEventTime().toEpochMilli()
                - stream.get(0).getEventTime().toEpochMilli())
        .isEqualTo(60_000);
    assertThat(stream.subList(0, 3)).extracting(Observation::getEntityId).doesNotHaveDuplicates();
    assertThat(stream).allSatisfy(o -> assertThat(o.getLabels().get("anomaly")).isIn("0", "1"));
    List<Observation> anomalous =
        stream.stream().filter(o -> o.getLabels().get("anomaly").equals("1")).toList();
    assertThat(anomalous)
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.getLabels()).containsKey("kind"));
    assertThat(stream)
        .filteredOn(o -> o.getLabels().get("anomaly").equals("0"))
        .allSatisfy(o -> assertThat(o.getLabels()).doesNotContainKey("kind"));
    assertThat(LabelledObservations.stream(7, 3, 200, 0.05))
        .as("deterministic by seed")
        .isEqualTo(stream);

    byte[] bytes = LabelledObservations.encode(stream.get(5));
    assertThat(Observation.getDecoder().decode(ByteBuffer.wrap(bytes))).isEqualTo(stream.get(5));
    assertThat(LabelledObservations.encode(stream.subList(0, 4))).hasSize(4);
  }

  @Test
  void aSpanIsARunOfOneEntitysObservationsOfOneKind() {
    List<Observation> stream =
        List.of(
            obs("a", 1, "spike"),
            obs("b", 1, null),
            obs("a", 2, "spike"),
            obs("a", 3, "drift"),
            obs("a", 4, null),
            obs("a", 5, "drift"));
    Map<String, String> spans = LabelledObservations.anomalySpans(stream);
    assertThat(spans)
        .containsOnly(
            Map.entry("a@1", "a/spike/1"), Map.entry("a@2", "a/spike/1"),
            Map.entry("a@3", "a/drift/3"), Map.entry("a@5", "a/drift/5"));
  }

  private static Observation obs(String entity, long t, String kind) {
    Map<String, String> labels = new HashMap<>();
    labels.put("anomaly", kind == null ? "0" : "1");
    if (kind != null) {
      labels.put("kind", kind);
    }
    return Observation.newBuilder()
        .setEntityId(entity)
        .setEventTime(Instant.ofEpochMilli(t))
        .setFeatures(Map.of("x", 1.0))
        .setLabels(labels)
        .build();
  }
}
