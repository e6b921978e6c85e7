package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCommandLineTest {

  @Test
  void theCommandLineOfALiveProcessAndNothingOnceItEnded() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    try {
      assertThat(ProcessCommandLine.of(p.pid()))
          .endsWith("60")
          .first()
          .asString()
          .endsWith("sleep");
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
    assertThat(ProcessCommandLine.of(p.pid())).isEmpty();
  }

  @Test
  void thisJvmsCommandLineRunsJava() {
    assertThat(ProcessCommandLine.of(ProcessHandle.current().pid()))
        .first()
        .asString()
        .contains("java");
  }
}
