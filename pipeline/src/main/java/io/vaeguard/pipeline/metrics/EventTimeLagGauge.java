package io.vaeguard.pipeline.metrics;

import org.apache.flink.metrics.Gauge;

/**
 * Milliseconds between an event's time and when the pipeline handled it, for the last event seen
 * (as the Kafka source's {@code currentEmitEventTimeLag}). It grows when the job falls behind or
 * replays old data. Updated by the task thread, read by metric reporters; 0 before any event.
 */
public final class EventTimeLagGauge implements Gauge<Long> {

  private volatile long lagMillis;

  /** Records that an event with {@code eventTime} was handled at processing time {@code now}. */
  public void update(long eventTime, long now) {
    lagMillis = now - eventTime;
  }

  @Override
  public Long getValue() {
    return lagMillis;
  }
}
