package io.vaeguard.pipeline.generator;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The generator's progress line, once an interval: records sent, the rate since the previous line
 * and overall, anomalies injected.
 */
final class ProgressLines {

  private final PrintWriter out;
  private final String topic;
  private final long intervalNanos;
  private final long startNanos;
  private long nextNanos;
  private long lastNanos;
  private long lastSent;

  /** The first line is due one interval after {@code startNanos} ({@link System#nanoTime()}). */
  ProgressLines(PrintWriter out, String topic, Duration interval, long startNanos) {
    this.out = out;
    this.topic = topic;
    this.intervalNanos = interval.toNanos();
    this.startNanos = startNanos;
    this.nextNanos = startNanos + intervalNanos;
    this.lastNanos = startNanos;
  }

  boolean due(long nowNanos) {
    return nowNanos - nextNanos >= 0;
  }

  void print(long nowNanos, SentRecords.Counts counts) {
    long s = counts.sent();
    out.println(
        String.format(
            Locale.ROOT,
            "generate: %,d records sent to %s (%.1f/s now, %.1f/s overall), %d anomalies"
                + " injected (%,d anomalous records)",
            s,
            topic,
            (s - lastSent) / ((nowNanos - lastNanos) / 1e9),
            s / ((nowNanos - startNanos) / 1e9),
            counts.spans(),
            counts.anomalous()));
    out.flush();
    lastSent = s;
    lastNanos = nowNanos;
    nextNanos = nowNanos + intervalNanos;
  }
}
