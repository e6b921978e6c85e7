package io.vaeguard.model.detect;

/** What a row does to its entity's episode (at most one alert event per row). */
public enum AlertEvent {
  /** Nothing to tell a person. */
  NONE,
  /** The entity turned anomalous: an episode opens, one alert. */
  OPEN,
  /** Still anomalous once the cool-down since the last alert has passed: a reminder. */
  REPEAT,
  /** Normal for {@code resolveAfter} rows in a row: the episode closes. */
  RESOLVE;

  /** Whether a message goes to the alerts topic for it. */
  public boolean emits() {
    return this != NONE;
  }
}
