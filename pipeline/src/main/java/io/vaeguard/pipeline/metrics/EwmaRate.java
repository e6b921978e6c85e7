package io.vaeguard.pipeline.metrics;

import org.apache.flink.metrics.Gauge;

/**
 * The recent fraction of events that were hits, as a gauge: the plain mean over the first {@code
 * span} events, then an exponentially weighted mean with {@code alpha = 2 / (span + 1)} (about the
 * last {@code span} events). Updated by the task thread, read by metric reporters.
 */
public final class EwmaRate implements Gauge<Double> {

  private final int span;
  private final double alpha;
  private long count;
  private volatile double rate;

  /**
   * @param span events the rate roughly averages over, at least 1
   */
  public EwmaRate(int span) {
    if (span < 1) {
      throw new IllegalArgumentException("span must be >= 1, got " + span);
    }
    this.span = span;
    this.alpha = 2.0 / (span + 1);
  }

  public void update(boolean hit) {
    double x = hit ? 1 : 0;
    double r = rate;
    if (count < span) {
      count++;
      r += (x - r) / count; // the exact mean until the window is full: no bias towards 0 at start
    } else {
      r += alpha * (x - r);
    }
    rate = r;
  }

  @Override
  public Double getValue() {
    return rate;
  }
}
