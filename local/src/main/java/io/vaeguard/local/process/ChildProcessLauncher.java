package io.vaeguard.local.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The life of a launcher's child JVMs, the same for the Kafka broker and the Flink processes: one
 * start at a time, launch, wait until ready, destroy everything when the start fails, stop, and a
 * shutdown hook that stops them with this JVM unless they are detached. The launcher supplies what
 * differs: each child's {@link ChildCommand}, a readiness probe, and its records and error words
 * ({@link ChildProcessSpec}).
 *
 * <p>A child another process started (found in the work directory's records) is signalled only
 * while {@link ChildProcessSpec#isOurs} says its pid is still that child.
 */
public final class ChildProcessLauncher {
  /** How long the shutdown hook gives the children to stop cleanly when this JVM exits. */
  static final Duration HOOK_GRACE = Duration.ofSeconds(5);

  /** How long {@link #kill} waits for a child to go after SIGKILL. */
  static final Duration AFTER_KILL = Duration.ofSeconds(10);

  /** Waits until a child is ready: true when it is, false to ask again after the poll interval. */
  @FunctionalInterface
  public interface Probe {
    boolean ready() throws InterruptedException;
  }

  private final Class<?> owner;
  private final Path workDir;
  private final boolean detached;
  private final ChildProcessSpec spec;

  private final Object lock = new Object();

  /** By name, sorted, so that lists of them read the same every time. */
  private final Map<String, ManagedProcess> children = new TreeMap<>();

  private boolean starting;
  private ShutdownHook hook;

  /**
   * @param owner the launcher class, named in the shutdown hook's thread and when a class file of
   *     the launcher directory is missing
   * @param workDir where the children run and their launcher directory is written
   * @param detached whether the children outlive this JVM: no shutdown hook, no watch on this
   *     process
   */
  public ChildProcessLauncher(
      Class<?> owner, Path workDir, boolean detached, ChildProcessSpec spec) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.workDir = workDir.toAbsolutePath().normalize();
    this.detached = detached;
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  // ---------------------------------------------------------------- start

  /**
   * Runs {@code start}, which prepares, {@link #launch}es the children and {@link #awaitReady
   * waits} for them; when it fails, whatever it launched is stopped at once (SIGKILL after {@code
   * grace}) and forgotten before the error goes on, so a failed start leaves no process behind.
   *
   * @throws IllegalStateException with {@code alreadyStarted}'s message while children are known
   *     (started, or found by an attach) or another start runs
   */
  public void start(Supplier<String> alreadyStarted, Duration grace, Runnable start) {
    synchronized (lock) {
      if (starting || !children.isEmpty()) {
        throw new IllegalStateException(alreadyStarted.get());
      }
      starting = true;
    }
    try {
      start.run();
    } catch (RuntimeException | Error e) {
      removeHook();
      destroy(grace);
      throw e;
    } finally {
      synchronized (lock) {
        starting = false;
      }
    }
  }

  /**
   * Starts child {@code name}, its stdout and stderr going to its log's output, and, first, the
   * shutdown hook unless the children are detached.
   */
  public ManagedProcess launch(String name, ChildCommand command) throws IOException {
    installHook();
    Process p = ChildJvm.start(command.builder(workDir, detached, owner), spec.log(name).output());
    ManagedProcess child = ManagedProcess.started(name, p);
    synchronized (lock) {
      children.put(name, child);
    }
    return child;
  }

  /**
   * Polls {@code probe} every {@code poll} until it says ready. Before each try, and once more when
   * {@code deadlineNanos} ({@link System#nanoTime()}) has passed, a child started here that has
   * ended is an error that says why ({@link #checkAlive()}); past the deadline, {@code timeout}'s.
   */
  public void awaitReady(
      long deadlineNanos,
      Duration poll,
      Probe probe,
      Supplier<? extends RuntimeException> timeout) {
    try {
      while (true) {
        checkAlive();
        if (probe.ready()) {
          return;
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
          checkAlive();
          throw timeout.get();
        }
        Thread.sleep(poll.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw spec.error("interrupted while waiting for " + spec.what(), e);
    }
  }

  /** A child started here that has ended is an error: its taken port, else its exit and log. */
  public void checkAlive() {
    for (ManagedProcess child : children()) {
      if (child.startedHere() && !child.isAlive()) {
        throw exitedDuringStart(child);
      }
    }
  }

  private RuntimeException exitedDuringStart(ManagedProcess child) {
    ChildLog log = spec.log(child.name());
    Optional<FlaggedPort> taken = spec.bindFailure(child.name(), log.recent());
    if (taken.isPresent()) {
      return spec.error(
          taken.get().inUse()
              + " (the "
              + child.name()
              + " could not bind it; log "
              + log.file()
              + ")",
          null);
    }
    return spec.error(
        "the "
            + spec.title(child.name())
            + " exited"
            + child.exitStatus()
            + " during start; "
            + log.excerpt(),
        null);
  }

  // ---------------------------------------------------------------- found by attach

  /**
   * Adds child {@code name} that another process started, by the pid its records name (the caller
   * has checked that it is ours); false when no such process exists.
   */
  public boolean found(String name, long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    h.ifPresent(
        handle -> {
          synchronized (lock) {
            children.put(name, ManagedProcess.found(name, handle));
          }
        });
    return h.isPresent();
  }

  // ---------------------------------------------------------------- stop

  /**
   * Stops every child that is still ours: SIGTERM to all at once, SIGKILL to what is left after
   * {@code grace}, with the processes they started. Every child that is gone, or is no longer ours
   * (not signalled), is forgotten; returns those still alive after SIGKILL, which stay known.
   */
  public List<ManagedProcess> stop(Duration grace) {
    removeHook();
    return destroy(grace);
  }

  /**
   * Kills {@code child} with SIGKILL, as a crash would (no clean shutdown), waits until it is gone
   * and forgets it; false, and nothing is signalled, when its pid is no longer that child's.
   */
  public boolean kill(ManagedProcess child) {
    if (!isOurs(child)) {
      return false;
    }
    child.handle().destroyForcibly();
    ProcessTree.awaitExit(child.handle(), AFTER_KILL);
    synchronized (lock) {
      children.remove(child.name(), child);
      spec.forget(child.name(), child.pid());
    }
    return true;
  }

  /** The hook's and a failed start's stop: never throws. */
  private List<ManagedProcess> destroy(Duration grace) {
    List<ManagedProcess> known = children();
    if (known.isEmpty()) {
      return List.of(); // a start that failed before launching: the records may be another's
    }
    List<ManagedProcess> ours = known.stream().filter(c -> c.isAlive() && isOurs(c)).toList();
    ProcessTree.stop(ours.stream().map(ManagedProcess::handle).toList(), grace);
    List<ManagedProcess> alive = ours.stream().filter(ManagedProcess::isAlive).toList();
    synchronized (lock) {
      for (ManagedProcess c : known) {
        if (!alive.contains(c)) {
          children.remove(c.name(), c);
          spec.forget(c.name(), c.pid());
        }
      }
      if (alive.isEmpty()) {
        spec.forgetAll();
      }
    }
    return alive;
  }

  private boolean isOurs(ManagedProcess child) {
    return child.startedHere() || spec.isOurs(child.pid(), child.name());
  }

  private void installHook() {
    synchronized (lock) {
      if (!detached && hook == null) {
        hook =
            ShutdownHook.add("vaeguard-stop-" + owner.getSimpleName(), () -> destroy(HOOK_GRACE));
      }
    }
  }

  private void removeHook() {
    synchronized (lock) {
      if (hook != null) {
        hook.remove();
        hook = null;
      }
    }
  }

  // ---------------------------------------------------------------- accessors

  /** Child {@code name}, when it is known. */
  public Optional<ManagedProcess> child(String name) {
    synchronized (lock) {
      return Optional.ofNullable(children.get(name));
    }
  }

  /** The known children, by name. */
  public List<ManagedProcess> children() {
    synchronized (lock) {
      return new ArrayList<>(children.values());
    }
  }

  /** The shutdown hook's thread, for tests; null when there is none. */
  Thread hookThread() {
    synchronized (lock) {
      return hook == null ? null : hook.thread();
    }
  }
}
