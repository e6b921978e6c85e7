package io.vaeguard.local.kafka;

import io.vaeguard.local.process.ChildLog;
import io.vaeguard.local.process.ChildProcessSpec;
import io.vaeguard.local.process.FlaggedPort;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The broker as {@link io.vaeguard.local.process.ChildProcessLauncher} needs to know it. */
final class BrokerSpec implements ChildProcessSpec {
  private static final Pattern BIND_FAILURE =
      Pattern.compile("failed to bind to " + Pattern.quote(LocalKafka.HOST) + ":(\\d+)");

  private final BrokerWorkDir files;
  private final IntSupplier controllerPort;

  /** {@code controllerPort} is read when a bind fails: it is chosen at start. */
  BrokerSpec(BrokerWorkDir files, IntSupplier controllerPort) {
    this.files = files;
    this.controllerPort = controllerPort;
  }

  @Override
  public String what() {
    return "the Kafka broker";
  }

  @Override
  public String title(String name) {
    return "Kafka broker";
  }

  @Override
  public ChildLog log(String name) {
    return files.log();
  }

  @Override
  public RuntimeException error(String message, Throwable cause) {
    return new LocalKafkaException(message, cause);
  }

  @Override
  public boolean isOurs(long pid, String name) {
    return files.isBroker(pid);
  }

  @Override
  public void forget(String name, long pid) {
    files.forget(pid);
  }

  /** Kafka's "failed to bind to 127.0.0.1:PORT", on either listener. */
  @Override
  public Optional<FlaggedPort> bindFailure(String name, String recentLog) {
    Matcher bind = BIND_FAILURE.matcher(recentLog);
    if (!bind.find()) {
      return Optional.empty();
    }
    int taken = Integer.parseInt(bind.group(1));
    boolean controller = taken == controllerPort.getAsInt();
    return Optional.of(new FlaggedPort(taken, controller ? "--controller-port" : "--port"));
  }
}
