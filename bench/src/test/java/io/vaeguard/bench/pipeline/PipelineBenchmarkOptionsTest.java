package io.vaeguard.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PipelineBenchmarkOptionsTest {

  @Test
  void defaultsFollowTheIssueAndQuickShrinksThem() {
    PipelineBenchmarkOptions full = PipelineBenchmarkOptions.parse(new String[0]);
    assertThat(full.records()).isEqualTo(2_000_000);
    assertThat(full.windowSeconds()).isEqualTo(20);
    assertThat(full.variants()).isEqualTo("abcd");

    PipelineBenchmarkOptions quick = PipelineBenchmarkOptions.parse(new String[] {"--quick"});
    assertThat(quick.records()).isEqualTo(200_000);
    assertThat(quick.windowSeconds()).isLessThan(full.windowSeconds());

    PipelineBenchmarkOptions n =
        PipelineBenchmarkOptions.parse(new String[] {"--records", "500_000", "--quick"});
    assertThat(n.records()).isEqualTo(500_000);
    assertThat(full.kafka()).isEmpty();
  }

  @Test
  void kafkaSettingsPassThroughAsKeyValuePairs() {
    PipelineBenchmarkOptions o =
        PipelineBenchmarkOptions.parse(
            new String[] {"--kafka", "batch.size=131072", "--kafka", "client.id=a=b"});
    assertThat(o.kafka())
        .containsEntry("batch.size", "131072")
        .containsEntry("client.id", "a=b")
        .hasSize(2);
    assertThatThrownBy(() -> PipelineBenchmarkOptions.parse(new String[] {"--kafka", "linger.ms"}))
        .hasMessageContaining("KEY=VALUE");
  }

  @Test
  void mistakesAreOneLineNamingTheFlag() {
    assertThatThrownBy(() -> PipelineBenchmarkOptions.parse(new String[] {"--records", "lots"}))
        .hasMessage("--records: 'lots' is not a whole number");
    assertThatThrownBy(() -> PipelineBenchmarkOptions.parse(new String[] {"--records"}))
        .hasMessage("--records needs a value");
    assertThatThrownBy(() -> PipelineBenchmarkOptions.parse(new String[] {"--recods", "5"}))
        .hasMessageContaining("unknown option --recods");
    assertThatThrownBy(() -> PipelineBenchmarkOptions.parse(new String[] {"--records", "10"}))
        .hasMessageContaining("at least 1000");
  }

  @Test
  void theCdfEndsAtOneAndNeverPlotsZeroOnALogAxis() {
    double[][] xy = LatencyChart.cdf(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 4);
    assertThat(xy[0][0]).isEqualTo(0.5);
    assertThat(xy[1][xy[1].length - 1]).isEqualTo(1.0);
    assertThat(xy[0][xy[0].length - 1]).isEqualTo(9.0);
  }
}
