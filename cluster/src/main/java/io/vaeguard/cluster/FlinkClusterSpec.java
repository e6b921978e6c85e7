package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildLog;
import io.vaeguard.local.process.ChildProcessSpec;
import io.vaeguard.local.process.FlaggedPort;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JobManager and TaskManagers as {@link io.vaeguard.local.process.ChildProcessLauncher} needs
 * to know them.
 */
final class FlinkClusterSpec implements ChildProcessSpec {
  private static final Pattern BIND_FAILURE =
      Pattern.compile(
          "(?i)(?:BindException|Address already in use|Could not start rest endpoint on any port in port range (\\d+)|bind\\S*\\s+to\\s+\\S*:(\\d+))");

  private final ClusterWorkDir files;
  private final IntSupplier restPort;
  private final IntSupplier rpcPort;

  /** The ports are read when a bind fails: they are chosen at start. */
  FlinkClusterSpec(ClusterWorkDir files, IntSupplier restPort, IntSupplier rpcPort) {
    this.files = files;
    this.restPort = restPort;
    this.rpcPort = rpcPort;
  }

  @Override
  public String what() {
    return "the Flink cluster";
  }

  @Override
  public String title(String name) {
    return "Flink " + name;
  }

  @Override
  public ChildLog log(String name) {
    return files.log(name);
  }

  @Override
  public RuntimeException error(String message, Throwable cause) {
    return new FlinkClusterException(message, cause);
  }

  @Override
  public boolean isOurs(long pid, String name) {
    return files.isOurs(pid, name);
  }

  @Override
  public void forget(String name, long pid) {
    files.deletePid(name);
  }

  /** PID files of processes that ended on their own go too: nothing of this cluster runs now. */
  @Override
  public void forgetAll() {
    files.deleteStateFiles();
  }

  /**
   * A bind error in the log or output; the REST endpoint's when it names that, else the RPC port's.
   */
  @Override
  public Optional<FlaggedPort> bindFailure(String name, String recentLog) {
    Matcher bind = BIND_FAILURE.matcher(recentLog);
    if (!bind.find()) {
      return Optional.empty();
    }
    boolean restFailed =
        recentLog.contains("rest endpoint") || recentLog.contains("RestServerEndpoint");
    return Optional.of(
        restFailed
            ? new FlaggedPort(restPort.getAsInt(), "--web-port")
            : new FlaggedPort(rpcPort.getAsInt(), "--rpc-port"));
  }
}
