package io.vaeguard.pipeline.serde;

import java.util.Objects;

/**
 * The outcome of decoding one record: the value, or the reason it could not be decoded. Failures
 * are values, not exceptions, because a bad record is an expected input that goes to the
 * dead-letter topic while the job keeps running.
 */
public record Decoded<T>(T value, String failure) {

  public Decoded {
    if ((value == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of value and failure must be set");
    }
  }

  public static <T> Decoded<T> ok(T value) {
    return new Decoded<>(Objects.requireNonNull(value), null);
  }

  public static <T> Decoded<T> failed(String reason) {
    return new Decoded<>(null, Objects.requireNonNull(reason));
  }

  public boolean isOk() {
    return value != null;
  }
}
