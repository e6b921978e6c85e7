package io.vaeguard.local.process;

import java.util.Objects;

/** A JVM shutdown hook that stops what a launcher started when the caller's JVM exits. */
public final class ShutdownHook {
  private final Thread thread;

  private ShutdownHook(Thread thread) {
    this.thread = thread;
  }

  /** Registers {@code action} to run, in a thread named {@code name}, when this JVM shuts down. */
  public static ShutdownHook add(String name, Runnable action) {
    Thread t = new Thread(Objects.requireNonNull(action, "action"), name);
    Runtime.getRuntime().addShutdownHook(t);
    return new ShutdownHook(t);
  }

  /**
   * Unregisters it; does nothing once this JVM is shutting down, when the hook runs or is about to
   * and stops the same processes.
   */
  public void remove() {
    try {
      Runtime.getRuntime().removeShutdownHook(thread);
    } catch (IllegalStateException shuttingDown) {
      // see above
    }
  }

  /** The hook's thread, for tests. */
  Thread thread() {
    return thread;
  }
}
