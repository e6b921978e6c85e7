package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle with real child JVMs ({@link TestChild}, as the broker's and Flink's launchers run
 * theirs) and a spec that records what the launcher was told to forget.
 */
class ChildProcessLauncherTest {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Duration GRACE = Duration.ofSeconds(2);

  @TempDir Path dir;

  private final TestSpec spec = new TestSpec();
  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void killWhatIsLeft() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void aChildThatNeverBecomesReadyIsDestroyedAndTheTimeoutGoesOn() {
    ChildProcessLauncher launcher = launcher(false);

    assertThatThrownBy(() -> start(launcher, Duration.ofMillis(500), () -> false, "wait"))
        .isInstanceOf(TestLaunchException.class)
        .hasMessage("not ready; log " + dir.resolve("child.log"));

    ProcessHandle child = started.get(0);
    assertThat(ProcessTree.awaitExit(child, Duration.ofSeconds(5))).isTrue();
    assertThat(launcher.children()).isEmpty();
    assertThat(spec.forgotten).containsExactly("child " + child.pid(), "all");
    assertThat(launcher.hookThread()).as("removed with the children").isNull();
  }

  @Test
  void aChildThatExitsDuringStartIsAnErrorWithItsStatusAndLog() {
    ChildProcessLauncher launcher = launcher(false);

    assertThatThrownBy(() -> start(launcher, Duration.ofSeconds(60), () -> false, "gone"))
        .isInstanceOf(TestLaunchException.class)
        .hasMessageStartingWith(
            "the test child exited with status 0 during start; its log is "
                + dir.resolve("child.log")
                + ", last lines:\n")
        .hasMessageContaining("  | echo gone");

    assertThat(launcher.children()).isEmpty();
    assertThat(spec.forgotten).containsExactly("child " + started.get(0).pid(), "all");
  }

  @Test
  void aTakenPortInTheLogGivesTheMappedMessage() {
    ChildProcessLauncher launcher = launcher(false);

    assertThatThrownBy(
            () ->
                start(
                    launcher,
                    Duration.ofSeconds(60),
                    () -> false,
                    "failed",
                    "to",
                    "bind",
                    "to",
                    "127.0.0.1:4242"))
        .isInstanceOf(TestLaunchException.class)
        .hasMessage(
            "port 4242 on 127.0.0.1 is in use; pick another with --test-port or stop what holds it"
                + " (the child could not bind it; log "
                + dir.resolve("child.log")
                + ")");
  }

  @Test
  void aSecondStartIsRefusedAndStopEndsTheFirst() {
    ChildProcessLauncher launcher = launcher(false);
    start(launcher, Duration.ofSeconds(60), () -> true, "wait");
    ManagedProcess child = launcher.child("child").orElseThrow();
    assertThat(launcher.hookThread()).isNotNull();
    assertThat(ProcessCommandLine.of(child.pid()))
        .contains("-D" + TestChild.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());

    assertThatThrownBy(() -> launcher.start(() -> "started already", GRACE, () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("started already");
    assertThat(child.isAlive()).as("the refused start touches nothing").isTrue();

    assertThat(launcher.stop(GRACE)).isEmpty();

    assertThat(child.isAlive()).isFalse();
    assertThat(launcher.children()).isEmpty();
    assertThat(launcher.hookThread()).isNull();
    assertThat(spec.forgotten).containsExactly("child " + child.pid(), "all");
  }

  @Test
  void aFailedStartBeforeAnyLaunchLeavesTheRecordsAlone() {
    ChildProcessLauncher launcher = launcher(false);

    assertThatThrownBy(
            () ->
                launcher.start(
                    () -> "started already",
                    GRACE,
                    () -> {
                      throw new TestLaunchException("already running in " + dir);
                    }))
        .hasMessage("already running in " + dir);

    assertThat(spec.forgotten).as("they may be another process's").isEmpty();
    launcher.start(() -> "started already", GRACE, () -> {}); // a failed start can be retried
  }

  @Test
  void aFoundProcessThatIsNoLongerOursIsForgottenAndNeverSignalled() throws IOException {
    Process other = new ProcessBuilder("sleep", "60").start();
    started.add(other.toHandle());
    ChildProcessLauncher launcher = launcher(true);
    assertThat(launcher.found("child", other.pid())).isTrue();
    assertThat(launcher.kill(launcher.child("child").orElseThrow())).isFalse();

    assertThat(launcher.stop(GRACE)).isEmpty();

    assertThat(other.isAlive()).isTrue();
    assertThat(launcher.children()).isEmpty();
    assertThat(spec.forgotten).containsExactly("child " + other.pid(), "all");
  }

  @Test
  void aFoundProcessThatIsStillOursIsStopped() throws IOException {
    Process ours = new ProcessBuilder("sleep", "60").start();
    started.add(ours.toHandle());
    spec.ours = true;
    ChildProcessLauncher launcher = launcher(true);
    launcher.found("child", ours.pid());

    assertThat(launcher.stop(GRACE)).isEmpty();

    assertThat(ProcessTree.awaitExit(ours.toHandle(), Duration.ofSeconds(5))).isTrue();
    assertThat(spec.forgotten).containsExactly("child " + ours.pid(), "all");
    assertThat(launcher.found("gone", ours.pid())).as("no such process any more").isFalse();
  }

  @Test
  void aDetachedChildGetsNoHookAndNoParentWatchAndKillEndsIt() throws IOException {
    ChildProcessLauncher launcher = launcher(true);
    ManagedProcess child = launch(launcher, "child", "wait");

    assertThat(launcher.hookThread()).isNull();
    assertThat(ProcessCommandLine.of(child.pid()))
        .contains(TestChild.class.getName())
        .noneMatch(a -> a.startsWith("-D" + TestChild.PARENT_PID_PROPERTY));
    assertThat(launcher.kill(child)).isTrue();

    assertThat(child.isAlive()).isFalse();
    assertThat(launcher.child("child")).isEmpty();
    assertThat(spec.forgotten).containsExactly("child " + child.pid());
  }

  // ---------------------------------------------------------------- helpers

  private ChildProcessLauncher launcher(boolean detached) {
    return new LaunchSettings(dir, Duration.ofSeconds(60), GRACE, detached)
        .launcher(ChildProcessLauncherTest.class, spec);
  }

  /**
   * A start that launches {@code child} ({@link #launch}) and waits up to {@code wait} for {@code
   * probe}; its timeout error names the child's log.
   */
  private void start(
      ChildProcessLauncher launcher,
      Duration wait,
      ChildProcessLauncher.Probe probe,
      String... echoArgs) {
    launcher.start(
        () -> "started already",
        GRACE,
        () -> {
          launch(launcher, "child", echoArgs);
          launcher.awaitReady(
              System.nanoTime() + wait.toNanos(),
              Duration.ofMillis(20),
              probe,
              () -> new TestLaunchException("not ready; log " + spec.log("child").file()));
        });
  }

  /**
   * {@code TestChild echo ARGS}: prints ARGS to the child's log; with {@code wait}, stays a minute.
   */
  private ManagedProcess launch(ChildProcessLauncher launcher, String name, String... echoArgs) {
    List<String> args = new ArrayList<>(List.of(TestChild.class.getName(), "echo"));
    args.addAll(List.of(echoArgs));
    ChildCommand command =
        new ChildCommand(
            JAVA,
            List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"),
            TestChild.class,
            TestChild.PARENT_PID_PROPERTY,
            args,
            List.of(),
            Map.of());
    try {
      ManagedProcess child = launcher.launch(name, command);
      started.add(child.handle());
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class TestLaunchException extends RuntimeException {
    TestLaunchException(String message) {
      super(message);
    }

    TestLaunchException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Logs in the test's directory; bind errors as Kafka writes them; records what it forgets. */
  private final class TestSpec implements ChildProcessSpec {
    private final Pattern bind = Pattern.compile("failed to bind to 127\\.0\\.0\\.1:(\\d+)");
    final List<String> forgotten = new CopyOnWriteArrayList<>();
    volatile boolean ours;

    @Override
    public String what() {
      return "the test child";
    }

    @Override
    public String title(String name) {
      return "test " + name;
    }

    @Override
    public ChildLog log(String name) {
      Path log = dir.resolve(name + ".log");
      return new ChildLog(log, log, new LogTail(64 * 1024, false), 5);
    }

    @Override
    public RuntimeException error(String message, Throwable cause) {
      return new TestLaunchException(message, cause);
    }

    @Override
    public boolean isOurs(long pid, String name) {
      return ours;
    }

    @Override
    public void forget(String name, long pid) {
      forgotten.add(name + " " + pid);
    }

    @Override
    public void forgetAll() {
      forgotten.add("all");
    }

    @Override
    public Optional<FlaggedPort> bindFailure(String name, String recentLog) {
      Matcher m = bind.matcher(recentLog);
      return m.find()
          ? Optional.of(new FlaggedPort(Integer.parseInt(m.group(1)), "--test-port"))
          : Optional.empty();
    }
  }
}
