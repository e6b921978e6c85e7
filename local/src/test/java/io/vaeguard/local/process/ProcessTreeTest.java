package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {

  @Test
  void sigtermIsEnoughForAProcessThatHonoursIt() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    long t0 = System.nanoTime();

    ProcessTree.stop(List.of(p.toHandle()), Duration.ofSeconds(20));

    assertThat(p.toHandle().isAlive()).isFalse();
    assertThat(p.exitValue()).as("killed by SIGTERM").isEqualTo(128 + 15);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void whatIgnoresSigtermIsKilledAfterTheGraceWithItsDescendants() throws Exception {
    // sh and its sleep both ignore SIGTERM (an ignored signal stays ignored across exec)
    Process p = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 60; true").start();
    ProcessHandle sleep = awaitDescendant(p.toHandle());
    long t0 = System.nanoTime();

    ProcessTree.stop(List.of(p.toHandle()), Duration.ofMillis(300));

    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(p.toHandle().isAlive()).isFalse();
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(ProcessTree.awaitExit(sleep, Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void descendantsAreKilledEvenWhenTheirParentEndsCleanly() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "sleep 60 & wait").start();
    ProcessHandle sleep = awaitDescendant(p.toHandle());

    ProcessTree.stop(List.of(p.toHandle()), Duration.ofSeconds(20));

    assertThat(p.toHandle().isAlive()).isFalse();
    assertThat(ProcessTree.awaitExit(sleep, Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void severalProcessesShareOneDeadlineAndTheDeadAreSkipped() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    // no descendants (the shell waits on its stdin), so nothing but the grace takes time
    Process a = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; read x").start();
    Process b = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; read x").start();
    a.getInputStream().read(); // the trap is set
    b.getInputStream().read();
    long t0 = System.nanoTime();

    ProcessTree.stop(List.of(done.toHandle(), a.toHandle(), b.toHandle()), Duration.ofSeconds(2));

    assertThat(a.toHandle().isAlive()).isFalse();
    assertThat(a.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(b.toHandle().isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as(
            "one deadline for both (2 s), not the grace each (4 s); the margin is for a busy machine")
        .isLessThan(Duration.ofMillis(3900));
  }

  @Test
  void awaitExitTellsWhetherTheProcessEnded() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    try {
      assertThat(ProcessTree.awaitExit(p.toHandle(), Duration.ofMillis(100))).isFalse();
      p.destroy();
      assertThat(ProcessTree.awaitExit(p.toHandle(), Duration.ofSeconds(10))).isTrue();
      assertThat(p.toHandle().isAlive()).as("reaped once onExit completed").isFalse();
    } finally {
      p.destroyForcibly();
    }
  }

  private static ProcessHandle awaitDescendant(ProcessHandle h) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var d = h.descendants().findFirst();
      if (d.isPresent()) {
        return d.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no child of " + h.pid() + " within 10 s");
  }
}
