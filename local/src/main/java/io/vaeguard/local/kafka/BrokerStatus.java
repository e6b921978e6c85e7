package io.vaeguard.local.kafka;

import java.nio.file.Path;

/**
 * What a work directory's state file says about a broker, checked against the running processes.
 *
 * @param state whether the broker recorded there is running
 * @param workDir the work directory
 * @param pid the recorded process id, or -1 when there is no state file
 * @param port the recorded client port, or 0
 * @param controllerPort the recorded controller port, or 0
 * @param logFile the broker's log file
 */
public record BrokerStatus(
    State state, Path workDir, long pid, int port, int controllerPort, Path logFile) {

  public enum State {
    /** The recorded process is alive and is the Kafka broker started in this work directory. */
    RUNNING,
    /** No state file: nothing was started here, or it was stopped. */
    STOPPED,
    /** A state file whose process has exited, or whose pid now belongs to another program. */
    STALE
  }

  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /** {@code 127.0.0.1:PORT}, or null when no port is recorded. */
  public String bootstrapServers() {
    return port > 0 ? LocalKafka.HOST + ":" + port : null;
  }

  /** One line for a person, e.g. what {@code vaeguard kafka status} prints. */
  public String describe() {
    return switch (state) {
      case RUNNING ->
          "running: pid "
              + pid
              + ", bootstrap servers "
              + bootstrapServers()
              + ", controller port "
              + controllerPort
              + ", log "
              + logFile;
      case STOPPED -> "stopped: no broker recorded in " + workDir;
      case STALE ->
          "not running: pid "
              + pid
              + " recorded in "
              + workDir.resolve(LocalKafka.STATE_FILE)
              + " is no longer this directory's Kafka broker (see "
              + logFile
              + ")";
    };
  }
}
