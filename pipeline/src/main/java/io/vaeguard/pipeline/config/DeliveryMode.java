package io.vaeguard.pipeline.config;

/** The Kafka sinks' delivery guarantee, as users write it. */
public enum DeliveryMode {
  EXACTLY_ONCE("exactly-once"),
  AT_LEAST_ONCE("at-least-once"),
  NONE("none");

  private final String id;

  DeliveryMode(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
