package io.vaeguard.pipeline.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.FlinkTypes;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class FeatureRowTest {

  @Test
  void flinkSerializesItAsAPojoWithoutKryo() throws Exception {
    assertThat(TypeInformation.of(FeatureRow.class))
        .isSameAs(FeatureRow.TYPE)
        .isInstanceOf(PojoTypeInfo.class);
    FeatureRow row = new FeatureRow("pump-1", 42L, new float[] {1f, -2.5f}, Map.of("anomaly", "1"));
    assertThat(FlinkTypes.roundTrip(FeatureRow.TYPE, row)).isEqualTo(row);
    FeatureRow noLabels = new FeatureRow("pump-2", 7L, new float[0], null);
    assertThat(FlinkTypes.roundTrip(FeatureRow.TYPE, noLabels)).isEqualTo(noLabels);
  }
}
