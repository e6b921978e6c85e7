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

  @Test
  void chooseKeepsWhatWasAskedForAndPicksDistinctFreePortsForTheRest() throws IOException {
    int asked;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
      asked = s.getLocalPort();
    }

    int[] ports =
        LoopbackPorts.choose(
            IllegalStateException::new,
            new FlaggedPort(0, "--a"),
            new FlaggedPort(asked, "--b"),
            new FlaggedPort(0, "--c"));

    assertThat(ports[1]).isEqualTo(asked);
    assertThat(ports[0]).isPositive().isNotEqualTo(ports[2]).isNotEqualTo(asked);
    assertThat(ports[2]).isPositive().isNotEqualTo(asked);
    assertThat(LoopbackPorts.isFree(ports[0])).as("released again").isTrue();
  }

  @Test
  void chooseNamesTheFlagOfTheFirstTakenPort() throws IOException {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
      int port = held.getLocalPort();

      assertThatThrownBy(
              () ->
                  LoopbackPorts.choose(
                      IllegalStateException::new,
                      new FlaggedPort(0, "--web-port"),
                      new FlaggedPort(port, "--rpc-port")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "port "
                  + port
                  + " on 127.0.0.1 is in use; pick another with --rpc-port or stop what"
                  + " holds it");
    }
  }

  @Test
  void canConnectTellsWhetherSomethingListens() throws IOException {
    int port;
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
      port = held.getLocalPort();
      assertThat(LoopbackPorts.canConnect(port)).isTrue();
    }
    assertThat(LoopbackPorts.canConnect(port)).isFalse();
  }
}
