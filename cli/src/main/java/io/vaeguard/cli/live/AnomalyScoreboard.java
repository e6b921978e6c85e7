package io.vaeguard.cli.live;

import io.vaeguard.model.synth.AnomalySpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Matches alerts against the anomalies that were injected, in event time: a span counts as
 * <b>caught</b> when an alert for its entity has an event time in {@code [start, end + grace]}, as
 * <b>missed</b> when that window has closed (it ends before "now") without one, and as <b>open</b>
 * otherwise. The grace allows for detectors that see an anomaly a little after it ends (a window of
 * readings still holding it).
 *
 * <p>Spans may become known after their alerts (a labels file rewritten every few seconds), so
 * alerts are kept per entity and the matching is done on every {@link #tally(long)}. Thread-safe.
 */
public final class AnomalyScoreboard {

  /**
   * The score so far.
   *
   * @param anomalies spans known
   * @param caught spans with an alert in their window
   * @param missed spans whose window closed without one
   * @param open spans without an alert whose window is still open
   * @param alerts alerts seen
   * @param alertsInAnomalies alerts that fall in the window of some span of their entity
   */
  public record Tally(
      int anomalies, int caught, int missed, int open, long alerts, long alertsInAnomalies) {

    /** Alerts outside every span window: false alarms, as far as the labels tell. */
    public long alertsOutside() {
      return alerts - alertsInAnomalies;
    }

    /**
     * caught / (caught + missed): the spans still open are left out; NaN before any span closed.
     */
    public double recall() {
      int decided = caught + missed;
      return decided == 0 ? Double.NaN : (double) caught / decided;
    }
  }

  private final long graceMillis;
  private final Map<String, NavigableMap<Long, Integer>> alertsByEntity = new HashMap<>();
  private List<AnomalySpan> spans = List.of();
  private long alerts;
  private long latestAlertMillis = Long.MIN_VALUE;

  public AnomalyScoreboard(Duration grace) {
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("the grace after an anomaly must be >= 0, got " + grace);
    }
    this.graceMillis = grace.toMillis();
  }

  public long graceMillis() {
    return graceMillis;
  }

  /** Replaces the known spans with {@code spans}: every span injected so far. */
  public synchronized void spans(Collection<AnomalySpan> spans) {
    this.spans = List.copyOf(spans);
  }

  /** Records an alert for {@code entityId} at event time {@code eventTimeMillis}. */
  public synchronized void alert(String entityId, long eventTimeMillis) {
    alertsByEntity
        .computeIfAbsent(entityId, e -> new TreeMap<>())
        .merge(eventTimeMillis, 1, Integer::sum);
    alerts++;
    latestAlertMillis = Math.max(latestAlertMillis, eventTimeMillis);
  }

  /** The latest event time of any alert, or {@link Long#MIN_VALUE} before the first. */
  public synchronized long latestAlertMillis() {
    return latestAlertMillis;
  }

  /**
   * The score at event time {@code nowMillis}: a span whose window {@code [start, end + grace]}
   * ends before it and has no alert is missed.
   */
  public synchronized Tally tally(long nowMillis) {
    int caught = 0;
    int missed = 0;
    int open = 0;
    Map<String, List<AnomalySpan>> byEntity = new HashMap<>();
    for (AnomalySpan s : spans) {
      byEntity.computeIfAbsent(s.entityId(), e -> new ArrayList<>()).add(s);
      long windowEnd = windowEnd(s);
      NavigableMap<Long, Integer> times = alertsByEntity.get(s.entityId());
      Long first = times == null ? null : times.ceilingKey(s.startMillis());
      if (first != null && first <= windowEnd) {
        caught++;
      } else if (windowEnd < nowMillis) {
        missed++;
      } else {
        open++;
      }
    }
    long inAnomalies = 0;
    for (Map.Entry<String, NavigableMap<Long, Integer>> e : alertsByEntity.entrySet()) {
      List<AnomalySpan> entitySpans = byEntity.get(e.getKey());
      if (entitySpans == null) {
        continue;
      }
      // start -> the furthest window end among spans starting at or before it
      NavigableMap<Long, Long> reach = new TreeMap<>();
      entitySpans.sort(Comparator.comparingLong(AnomalySpan::startMillis));
      long furthest = Long.MIN_VALUE;
      for (AnomalySpan s : entitySpans) {
        furthest = Math.max(furthest, windowEnd(s));
        reach.put(s.startMillis(), furthest);
      }
      for (Map.Entry<Long, Integer> a : e.getValue().entrySet()) {
        Map.Entry<Long, Long> floor = reach.floorEntry(a.getKey());
        if (floor != null && a.getKey() <= floor.getValue()) {
          inAnomalies += a.getValue();
        }
      }
    }
    return new Tally(spans.size(), caught, missed, open, alerts, inAnomalies);
  }

  private long windowEnd(AnomalySpan s) {
    long end = s.endMillis() + graceMillis;
    return end < s.endMillis() ? Long.MAX_VALUE : end; // overflow
  }
}
