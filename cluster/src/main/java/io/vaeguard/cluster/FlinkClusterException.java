package io.vaeguard.cluster;

/**
 * A cluster could not be started, reached or stopped, or a job not submitted; the message says what
 * to do.
 */
public class FlinkClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FlinkClusterException(String message) {
    super(message);
  }

  public FlinkClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
