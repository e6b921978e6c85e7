package io.vaeguard.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class FeatureIndexTest {

  @Test
  void findsEveryNameByItsBytesAndNothingElse() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      names.add(i % 3 == 0 ? "f" + i : "κ-" + i);
    }
    FeatureIndex index = new FeatureIndex(names);
    Utf8 key = new Utf8();
    for (int i = 0; i < names.size(); i++) {
      assertThat(index.indexOf(key.set(names.get(i)))).isEqualTo(i);
      assertThat(index.indexOf(key.set(names.get(i) + "x"))).isEqualTo(-1);
    }
    assertThat(index.indexOf(key.set(""))).isEqualTo(-1);
    // a reused Utf8 whose buffer is longer than its contents
    key.set("κ-299-and-some-more");
    key.set("f3");
    assertThat(index.indexOf(key)).isEqualTo(3);
  }

  @Test
  void aHintIsTriedFirstAndAWrongOneFallsBackToTheLookup() {
    FeatureIndex index = new FeatureIndex(List.of("pressure", "flow", "rpm"));
    Utf8 key = new Utf8();
    assertThat(index.indexOf(key.set("flow"), 1)).isEqualTo(1);
    assertThat(index.indexOf(key.set("flow"), 2)).as("wrong hint").isEqualTo(1);
    assertThat(index.indexOf(key.set("flow"), -1)).isEqualTo(1);
    assertThat(index.indexOf(key.set("flo"), 1)).as("a prefix of the hinted name").isEqualTo(-1);
    assertThat(index.indexOf(key.set("humidity"), 0)).isEqualTo(-1);
  }

  @Test
  void refusesNamesThatBytesCannotMatchLikeStrings() {
    assertThat(FeatureIndex.canIndex(List.of("a", "b", "ü"))).isTrue();
    assertThat(FeatureIndex.canIndex(List.of("a", "a"))).isFalse();
    assertThat(FeatureIndex.canIndex(List.of("a\uFFFD"))).isFalse();
    assertThat(FeatureIndex.canIndex(List.of("\uDC00"))).isFalse();
    assertThatThrownBy(() -> new FeatureIndex(List.of("a", "a")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
