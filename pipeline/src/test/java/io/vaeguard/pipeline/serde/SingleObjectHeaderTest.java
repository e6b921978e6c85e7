package io.vaeguard.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.schema.Alert;
import io.vaeguard.schema.Observation;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SingleObjectHeaderTest {

  @Test
  void isWhatAvrosOwnEncoderWritesFirst() throws Exception {
    Observation obs =
        Observation.newBuilder()
            .setEntityId("p1")
            .setEventTime(Instant.ofEpochMilli(5))
            .setFeatures(Map.of("flow", 1.0))
            .build();
    ByteBuffer bytes = Observation.getEncoder().encode(obs);
    byte[] first = Arrays.copyOf(bytes.array(), SingleObjectHeader.LENGTH);
    assertThat(SingleObjectHeader.of(Observation.SCHEMA$)).containsExactly(first);
    assertThat(SingleObjectHeader.of(Alert.SCHEMA$))
        .as("another schema, another fingerprint")
        .isNotEqualTo(first)
        .startsWith((byte) 0xC3, (byte) 0x01);
  }
}
