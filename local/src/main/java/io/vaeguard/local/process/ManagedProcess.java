package io.vaeguard.local.process;

import java.util.Objects;

/**
 * One child process of a launcher: started by this JVM, or found through the records of a work
 * directory (then only a handle, whose command line is checked before it is ever signalled: the pid
 * may belong to another program since).
 */
public final class ManagedProcess {
  private final String name;
  private final ProcessHandle handle;
  private final Process process;

  private ManagedProcess(String name, ProcessHandle handle, Process process) {
    this.name = Objects.requireNonNull(name, "name");
    this.handle = Objects.requireNonNull(handle, "handle");
    this.process = process;
  }

  static ManagedProcess started(String name, Process process) {
    return new ManagedProcess(name, process.toHandle(), process);
  }

  static ManagedProcess found(String name, ProcessHandle handle) {
    return new ManagedProcess(name, handle, null);
  }

  /** The launcher's name for it, e.g. {@code broker}, {@code jobmanager}, {@code taskmanager-2}. */
  public String name() {
    return name;
  }

  public long pid() {
    return handle.pid();
  }

  public ProcessHandle handle() {
    return handle;
  }

  public boolean isAlive() {
    return handle.isAlive();
  }

  /** Whether this JVM started it: then its pid cannot have been reused while it is known. */
  public boolean startedHere() {
    return process != null;
  }

  /** {@code " with status N"} for a child started here that has ended; else empty. */
  String exitStatus() {
    if (process == null || process.isAlive()) {
      return "";
    }
    try {
      return " with status " + process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** {@code NAME (pid PID)}. */
  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
