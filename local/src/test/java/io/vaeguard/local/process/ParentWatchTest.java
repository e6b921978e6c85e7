package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watch's decisions without its exits; {@link ChildJvmTest} runs the exits in child JVMs. */
class ParentWatchTest {

  @Test
  void aParentThatIsGoneAlreadyIsNotWatched() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    CountDownLatch ran = new CountDownLatch(1);

    assertThat(ParentWatch.watch(gone.pid(), ran::countDown)).isFalse();
    assertThat(ran.await(200, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void aLiveParentIsWatchedUntilItEnds() throws Exception {
    Process parent = new ProcessBuilder("sleep", "60").start();
    try {
      CountDownLatch ran = new CountDownLatch(1);

      assertThat(ParentWatch.watch(parent.pid(), ran::countDown)).isTrue();
      assertThat(ran.await(200, TimeUnit.MILLISECONDS)).isFalse();

      parent.destroy();
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void noPropertyMeansNoWatch() {
    // returns at once: neither exits nor watches
    ParentWatch.start("vaeguard.test.neverSet." + System.nanoTime(), "unused");
  }
}
