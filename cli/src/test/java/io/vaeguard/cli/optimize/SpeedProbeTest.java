package io.vaeguard.cli.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeedProbeTest {

  @Test
  void theChildsJsonLineReadsBackInBatchOrderToOneDecimal() throws Exception {
    Map<Integer, Double> rps = new LinkedHashMap<>();
    rps.put(1, 1234.56);
    rps.put(64, 98765.44);
    rps.put(1024, 1.2345678e7);

    String line = SpeedProbe.toJson(rps);

    assertThat(line).startsWith("{\"1\":1234.6,").doesNotContain("\n");
    assertThat(SpeedProbe.parse(line))
        .containsExactly(
            Map.entry(1, 1234.6), Map.entry(64, 98765.4), Map.entry(1024, 1.2345678e7));
  }
}
