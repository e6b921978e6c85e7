package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShutdownHookTest {

  @Test
  void aHookIsRegisteredUnderItsNameAndRemovedQuietly() {
    ShutdownHook hook = ShutdownHook.add("vaeguard-test-hook", () -> {});
    assertThat(hook.thread().getName()).isEqualTo("vaeguard-test-hook");
    assertThat(Runtime.getRuntime().removeShutdownHook(hook.thread()))
        .as("was registered")
        .isTrue();

    hook.remove(); // removed already: nothing happens
  }

  @Test
  void removeUnregisters() {
    ShutdownHook hook = ShutdownHook.add("vaeguard-test-hook", () -> {});

    hook.remove();

    assertThat(Runtime.getRuntime().removeShutdownHook(hook.thread())).isFalse();
  }
}
