package io.vaeguard.pipeline.config;

import java.util.Locale;

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

  public static DeliveryMode parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (DeliveryMode m : values()) {
      if (m.id.equals(t)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "delivery.guarantee: '" + text + "' is not one of exactly-once, at-least-once, none");
  }
}
