package io.vaeguard.pipeline.config;

/** Where the source starts reading when the job has no checkpoint to restore, as users write it. */
public enum StartingOffsets {
  /** The oldest record of each partition. */
  EARLIEST("earliest"),
  /** Only records written after the job starts. */
  LATEST("latest"),
  /** The consumer group's committed offsets, the oldest record where the group has none. */
  COMMITTED("committed");

  private final String id;

  StartingOffsets(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
