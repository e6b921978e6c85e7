package io.vaeguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrecisionTest {

  @Test
  void parsesIdsCaseInsensitively() {
    assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
    assertThat(Precision.parse(" INT8 ")).isEqualTo(Precision.INT8);
    assertThat(Precision.parse("fp16w")).isEqualTo(Precision.FP16W);
    assertThat(Precision.FP16W.id()).isEqualTo("fp16w");
  }

  @Test
  void unknownIdsListTheValidOnes() {
    assertThatThrownBy(() -> Precision.parse("fp16"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown precision 'fp16', expected one of fp32, int8, fp16w, int8-static");
    assertThatThrownBy(() -> Precision.parse(null)).hasMessageContaining("fp32, int8, fp16w");
  }
}
