package io.vaeguard.model.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.model.Dense;
import io.vaeguard.model.TestModels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Int8WeightsTest {

  @Test
  void handExample() {
    // columns: (0.63, -0.315) -> scale 0.01, values (63, -32 (-31.5 rounds half up));
    //          (-1.26, 0)     -> scale 0.02, values (-63, 0); (0, 0) -> scale 1, zeros
    Dense d = new Dense(2, 3, new float[] {0.63f, -1.26f, 0, -0.315f, 0, 0}, new float[3]);
    Int8Weights q = Int8Weights.quantize(d);
    assertThat(q.scales()[0]).isCloseTo(0.01f, org.assertj.core.api.Assertions.within(1e-8f));
    assertThat(q.scales()[1]).isCloseTo(0.02f, org.assertj.core.api.Assertions.within(1e-8f));
    assertThat(q.scales()[2]).isEqualTo(1f);
    assertThat(q.value(0, 0)).isEqualTo((byte) 63);
    assertThat(q.value(1, 0)).isIn((byte) -31, (byte) -32); // a tie, either side is within scale/2
    assertThat(q.value(0, 1)).isEqualTo((byte) -63);
    assertThat(q.value(1, 1)).isZero();
    assertThat(q.value(0, 2)).isZero();
  }

  @Test
  void valuesStayInSevenBitsAndWithinHalfAStep() {
    Dense d = TestModels.randomDense(new Random(9), 40, 30);
    Int8Weights q = Int8Weights.quantize(d);
    float[] back = q.dequantize();
    int[] extreme = new int[30];
    for (int i = 0; i < 40; i++) {
      for (int j = 0; j < 30; j++) {
        byte v = q.value(i, j);
        assertThat((int) v).isBetween(-Int8Weights.LIMIT, Int8Weights.LIMIT);
        extreme[j] = Math.max(extreme[j], Math.abs(v));
        assertThat(Math.abs(back[i * 30 + j] - d.weight(i, j)))
            .isLessThanOrEqualTo(q.scales()[j] * 0.5f + 1e-7f);
      }
    }
    // each column's largest weight uses the full 7-bit range
    assertThat(extreme).containsOnly(Int8Weights.LIMIT);
  }
}
