package io.vaeguard.local.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops processes and everything they started: SIGTERM, then SIGKILL after a grace period. */
public final class ProcessTree {
  /** How long to wait for a process to go after SIGKILL. */
  static final Duration AFTER_KILL = Duration.ofSeconds(10);

  /** How long to wait for a descendant to go after SIGKILL. */
  static final Duration AFTER_KILL_DESCENDANT = Duration.ofSeconds(5);

  private ProcessTree() {}

  /**
   * Sends SIGTERM to every live process of {@code processes} at once and waits until they are gone
   * or {@code grace} (one deadline for all) has passed; SIGKILLs each one still alive then, with
   * its descendants, and waits up to 10 s for it. Descendants they had when this began are
   * SIGKILLed last if still alive, even after a clean exit: nothing they started outlives them.
   * Never throws; the caller checks {@link ProcessHandle#isAlive()} afterwards.
   */
  public static void stop(List<ProcessHandle> processes, Duration grace) {
    // taken first: once a process is gone, its children are no longer its descendants
    Set<ProcessHandle> descendants = new LinkedHashSet<>();
    List<ProcessHandle> signalled = new ArrayList<>();
    for (ProcessHandle h : processes) {
      h.descendants().forEach(descendants::add);
      if (h.isAlive()) {
        h.destroy();
        signalled.add(h);
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : signalled) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      if (!awaitExit(h, left)) {
        // the process first: killed after its children, it could still run on (and exit 0) in
        // between
        List<ProcessHandle> children = h.descendants().toList();
        h.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        awaitExit(h, AFTER_KILL);
      }
    }
    for (ProcessHandle d : descendants) {
      if (d.isAlive()) {
        d.destroyForcibly();
        awaitExit(d, AFTER_KILL_DESCENDANT);
      }
    }
  }

  /**
   * Waits up to {@code timeout} for {@code h} to end; true when it has. For a process this JVM
   * started, {@link ProcessHandle#onExit()} completes once the JDK has reaped it, so {@link
   * ProcessHandle#isAlive()} is false afterwards.
   */
  public static boolean awaitExit(ProcessHandle h, Duration timeout) {
    try {
      h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // onExit() does not fail; were it to, the wait is over all the same
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
