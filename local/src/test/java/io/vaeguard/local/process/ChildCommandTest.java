package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildCommandTest {
  private static final ChildCommand COMMAND =
      new ChildCommand(
          Path.of("/jdk/bin/java"),
          List.of("-Xmx64m", "-Dx=1"),
          TestChild.class,
          TestChild.PARENT_PID_PROPERTY,
          List.of("some.Main", "--flag"),
          List.of("/a.jar"),
          Map.of("FLINK_CONF_DIR", "/conf"));

  @Test
  void theEntryWatchesThisJvmAndRunsOnTheLauncherDirectory(@TempDir Path dir) throws IOException {
    ProcessBuilder pb = COMMAND.builder(dir, false, ChildCommandTest.class);

    assertThat(pb.command())
        .containsExactly(
            "/jdk/bin/java",
            "-Xmx64m",
            "-Dx=1",
            "-D" + TestChild.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid(),
            TestChild.class.getName(),
            "some.Main",
            "--flag");
    assertThat(pb.directory()).isEqualTo(dir.toFile());
    assertThat(pb.environment())
        .containsEntry("CLASSPATH", "/a.jar" + File.pathSeparator + dir.resolve("launcher"))
        .containsEntry("FLINK_CONF_DIR", "/conf");
    assertThat(dir.resolve("launcher/" + TestChild.class.getName().replace('.', '/') + ".class"))
        .isRegularFile();
  }

  @Test
  void aDetachedChildIsNotToldThisJvmsPid(@TempDir Path dir) throws IOException {
    assertThat(COMMAND.builder(dir, true, ChildCommandTest.class).command())
        .containsExactly(
            "/jdk/bin/java", "-Xmx64m", "-Dx=1", TestChild.class.getName(), "some.Main", "--flag");
  }
}
