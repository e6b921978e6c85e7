package io.vaeguard.local.process;

import java.util.Optional;

/**
 * Child side: ends the child JVM when the JVM that started it ends, so a test JVM killed without
 * running its shutdown hooks leaves no child behind. Copied into the child's launcher directory by
 * {@link LauncherDir}: JDK only, a single class.
 */
public final class ParentWatch {
  /** How long the child may take to shut down cleanly after its parent ended before it halts. */
  static final long HALT_AFTER_MS = 15_000;

  private ParentWatch() {}

  /**
   * When the system property {@code pidProperty} names a process: exits with status 1 at once if
   * that process is gone already; else exits with status 1 once it ends, after printing {@code
   * "vaeguard: parent process PID ended; " + shutdownNotice} to stderr, and halts should the exit
   * (the child's shutdown hooks) take longer than 15 s.
   */
  public static void start(String pidProperty, String shutdownNotice) {
    String pid = System.getProperty(pidProperty);
    if (pid == null || pid.isEmpty()) {
      return;
    }
    boolean watching =
        watch(
            Long.parseLong(pid),
            () -> {
              System.err.println("vaeguard: parent process " + pid + " ended; " + shutdownNotice);
              Thread halt =
                  new Thread(
                      () -> {
                        try {
                          Thread.sleep(HALT_AFTER_MS);
                        } catch (InterruptedException e) {
                          return;
                        }
                        Runtime.getRuntime().halt(1);
                      },
                      "vaeguard-halt");
              halt.setDaemon(true);
              halt.start();
              System.exit(1);
            });
    if (!watching) {
      System.err.println("vaeguard: parent process " + pid + " is gone; not starting");
      System.exit(1);
    }
  }

  /**
   * Runs {@code onExit} once process {@code pid} has ended; returns false, and runs nothing, when
   * that process is not alive now. The decision without the exits, for tests.
   */
  static boolean watch(long pid, Runnable onExit) {
    Optional<ProcessHandle> parent = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    parent.ifPresent(p -> p.onExit().thenRun(onExit));
    return parent.isPresent();
  }
}
