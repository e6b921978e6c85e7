package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child JVMs on nothing but their launcher directory: {@link LauncherDir}, {@link ChildJvm},
 * and the child side ({@link ParentWatch}, {@link ChildMain}) as BrokerMain and FlinkProcessMain
 * use them.
 */
class ChildJvmTest {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void builderPassesTheClasspathInTheEnvironmentAndNotTheCallersJvmOptions(@TempDir Path dir) {
    ProcessBuilder pb = ChildJvm.builder(List.of(JAVA, "-version"), dir, List.of("/a.jar", "/b"));

    assertThat(pb.command()).containsExactly(JAVA, "-version");
    assertThat(pb.directory()).isEqualTo(dir.toFile());
    assertThat(pb.environment())
        .containsEntry("CLASSPATH", "/a.jar" + File.pathSeparator + "/b")
        .doesNotContainKeys("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
  }

  @Test
  void aChildRunsOnItsLauncherDirectoryAloneAndKeepsThePreviousOutput(@TempDir Path dir)
      throws Exception {
    Path launcher = LauncherDir.write(dir, TestChild.class, ChildJvmTest.class);
    assertThat(launcher).isEqualTo(dir.resolve("launcher"));
    for (Class<?> c : List.of(TestChild.class, ParentWatch.class, ChildMain.class)) {
      assertThat(launcher.resolve(c.getName().replace('.', '/') + ".class")).isRegularFile();
    }
    Path out = Files.writeString(dir.resolve("child.out"), "the previous run\n");

    Process p =
        ChildJvm.start(
            ChildJvm.builder(
                child(ProcessHandle.current().pid(), "echo", "a", "b"),
                dir,
                List.of(launcher.toString())),
            out);

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(out)).isZero();
    assertThat(Files.readAllLines(out))
        .containsExactly("echo a b", "class path " + launcher, "stdin -1");
    assertThat(dir.resolve("child.out.1")).hasContent("the previous run");
  }

  @Test
  void aChildWhoseParentIsGoneDoesNotStart(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path out = dir.resolve("child.out");

    Process p = start(dir, gone.pid(), out);

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readAllLines(out))
        .containsExactly("vaeguard: parent process " + gone.pid() + " is gone; not starting");
  }

  @Test
  void aChildEndsWhenItsParentEnds(@TempDir Path dir) throws Exception {
    Process parent = new ProcessBuilder("sleep", "60").start();
    Path out = dir.resolve("child.out");
    Process p = start(dir, parent.pid(), out, "wait");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(out).contains("stdin -1") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(p.isAlive()).as(Files.readString(out)).isTrue();

      parent.destroyForcibly();

      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(out)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(Files.readAllLines(out))
          .contains(
              "vaeguard: parent process " + parent.pid() + " ended; shutting the test child down");
    } finally {
      parent.destroyForcibly();
      p.destroyForcibly();
    }
  }

  private static Process start(Path dir, long parentPid, Path out, String... echoArgs)
      throws IOException {
    Path launcher = LauncherDir.write(dir, TestChild.class, ChildJvmTest.class);
    List<String> args = new ArrayList<>(List.of("echo"));
    args.addAll(List.of(echoArgs));
    return ChildJvm.start(
        ChildJvm.builder(
            child(parentPid, args.toArray(new String[0])), dir, List.of(launcher.toString())),
        out);
  }

  /** {@code java -Dparent TestChild TestChild ARGS}: through ParentWatch and ChildMain. */
  private static List<String> child(long parentPid, String... args) {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    command.add("-Xmx32m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-D" + TestChild.PARENT_PID_PROPERTY + "=" + parentPid);
    command.add(TestChild.class.getName());
    command.add(TestChild.class.getName());
    command.addAll(List.of(args));
    return command;
  }
}
