package io.vaeguard.local.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The part of a launcher's builder that every launcher has: work directory, timeouts, detached.
 *
 * @param <B> the launcher's own builder, which each setter returns
 */
public abstract class LauncherBuilder<B extends LauncherBuilder<B>> {
  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(20);

  private final Path workDir;
  private Duration startupTimeout;
  private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
  private boolean detached;

  protected LauncherBuilder(Path workDir, Duration defaultStartupTimeout) {
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.startupTimeout = Durations.requirePositive(defaultStartupTimeout, "startupTimeout");
  }

  /**
   * How long {@code start()} waits until what it started answers; the launcher's default (the Kafka
   * broker 60 s, a Flink cluster 120 s).
   */
  public B startupTimeout(Duration timeout) {
    this.startupTimeout = Durations.requirePositive(timeout, "startupTimeout");
    return self();
  }

  /** How long {@code stop()} waits after SIGTERM before SIGKILL; default 20 s. */
  public B stopTimeout(Duration timeout) {
    this.stopTimeout = Durations.requirePositive(timeout, "stopTimeout");
    return self();
  }

  /**
   * Keep what is started running when this JVM exits (for {@code vaeguard kafka start} and {@code
   * vaeguard cluster start}): no shutdown hook, no watch on this process. Default false: it ends
   * with this JVM.
   */
  public B detached(boolean detached) {
    this.detached = detached;
    return self();
  }

  /** What was set so far. */
  public LaunchSettings settings() {
    return new LaunchSettings(workDir, startupTimeout, stopTimeout, detached);
  }

  @SuppressWarnings("unchecked") // B is the class that extends this one, as declared
  private B self() {
    return (B) this;
  }
}
