package io.vaeguard.local.process;

import java.util.Optional;

/**
 * What a launcher tells {@link ChildProcessLauncher} about its children: how it records them in its
 * work directory, and the words and exception of its errors. Their command lines and readiness
 * probes it hands over where it launches and waits.
 */
public interface ChildProcessSpec {

  /** What the launcher starts, in messages: {@code "interrupted while waiting for " + what()}. */
  String what();

  /** Child {@code name} in messages, e.g. {@code Kafka broker}, {@code Flink jobmanager}. */
  String title(String name);

  /** The log of child {@code name}; its output goes to {@link ChildLog#output()}. */
  ChildLog log(String name);

  /** The launcher's exception; {@code cause} may be null. */
  RuntimeException error(String message, Throwable cause);

  /**
   * Whether {@code pid} is still child {@code name} of this work directory, by its command line: a
   * recorded pid may belong to another program after a crash, which must never be signalled.
   */
  boolean isOurs(long pid, String name);

  /** Child {@code name} ({@code pid}) has ended: remove what records it in the work directory. */
  void forget(String name, long pid);

  /** None of the children runs any more: remove whatever else records them. */
  default void forgetAll() {}

  /**
   * The port child {@code name} could not bind and the flag that picks another, as the end of its
   * log ({@code recentLog}) tells; empty when it ended for another reason. Another process can take
   * a port between the launcher's check and the child's bind.
   */
  Optional<FlaggedPort> bindFailure(String name, String recentLog);
}
