package io.vaeguard.local.kafka;

/** A local broker could not be started, reached or stopped; the message says what to do. */
public class LocalKafkaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LocalKafkaException(String message) {
    super(message);
  }

  public LocalKafkaException(String message, Throwable cause) {
    super(message, cause);
  }
}
