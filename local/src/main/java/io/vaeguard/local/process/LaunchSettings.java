package io.vaeguard.local.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What every launcher takes besides its own settings; {@link LauncherBuilder} collects them.
 *
 * @param workDir where the launcher's files live, absolute and normalized
 * @param startupTimeout how long a start waits until the children answer
 * @param stopTimeout how long a stop waits after SIGTERM before SIGKILL
 * @param detached whether the children outlive this JVM: no shutdown hook, no watch on this process
 */
public record LaunchSettings(
    Path workDir, Duration startupTimeout, Duration stopTimeout, boolean detached) {

  public LaunchSettings {
    workDir = workDir.toAbsolutePath().normalize();
    Durations.requirePositive(startupTimeout, "startupTimeout");
    Durations.requirePositive(stopTimeout, "stopTimeout");
  }

  /** A child's launcher for these settings. */
  public ChildProcessLauncher launcher(Class<?> owner, ChildProcessSpec spec) {
    return new ChildProcessLauncher(
        Objects.requireNonNull(owner, "owner"), workDir, detached, spec);
  }
}
