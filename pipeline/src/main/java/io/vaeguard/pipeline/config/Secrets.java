package io.vaeguard.pipeline.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Masks Kafka client properties that hold secrets, for anything that is printed or logged. */
public final class Secrets {

  private static final String[] SECRET_PARTS = {
    "password", "secret", "jaas", "token", "key", "credential"
  };

  private Secrets() {}

  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (String part : SECRET_PARTS) {
      if (k.contains(part)) {
        return !k.endsWith(".type") && !k.endsWith(".location") && !k.endsWith(".algorithm");
      }
    }
    return false;
  }

  public static Map<String, String> redact(Map<String, String> properties) {
    Map<String, String> out = new LinkedHashMap<>();
    properties.forEach((k, v) -> out.put(k, isSecret(k) ? "******" : v));
    return out;
  }
}
