package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

  @Test
  void aHeldPortIsNotFreeAndIsFreeOnceReleased() throws IOException {
    int port;
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
      port = held.getLocalPort();
      assertThat(LoopbackPorts.isFree(port)).isFalse();
    }
    assertThat(LoopbackPorts.isFree(port)).isTrue();
  }

  @Test
  void aTakenPortIsOneLineThatNamesTheFlag() {
    assertThat(LoopbackPorts.inUse(9092, "--port"))
        .isEqualTo(
            "port 9092 on 127.0.0.1 is in use; pick another with --port or stop what holds it");
  }

  @Test
  void checkTakesZeroAndTheValidRangeOnly() {
    assertThat(LoopbackPorts.check(0)).isZero();
    assertThat(LoopbackPorts.check(1)).isEqualTo(1);
    assertThat(LoopbackPorts.check(65535)).isEqualTo(65535);
    assertThatThrownBy(() -> LoopbackPorts.check(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be 0 (pick a free one) or 1-65535, got -1");
    assertThatThrownBy(() -> LoopbackPorts.check(65536))
        .hasMessage("port must be 0 (pick a free one) or 1-65535, got 65536");
  }
}
