package io.vaeguard.model.offline;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.detect.Decision;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.detect.DetectorState;
import io.vaeguard.model.detect.Flatline;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.VaeScorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a whole table offline, causally: row t of an entity is scored on the window of that
 * entity's rows ending at t, so no score looks ahead. Rows are sent to ONNX Runtime in batches,
 * then every entity's rows go, in order, through the same {@link Detector} the streaming job runs,
 * so the decisions here are the job's.
 */
public final class TableScorer {

  private static final int BATCH = 1024;

  private TableScorer() {}

  /**
   * @param rows raw values in the card's feature order, {@code [n][features]}, chronological per
   *     entity
   * @param entities entity of each row, or null when all rows belong to one entity
   */
  public static RowScores score(VaeScorer scorer, double[][] rows, String[] entities) {
    return score(scorer, Detector.of(scorer.card()), rows, entities, null);
  }

  /**
   * @param detector the detector (the card's, with the job's cool-down and threshold)
   * @param eventTimes event time of each row, epoch millis, for the cool-down; null: row i at i
   *     seconds
   */
  public static RowScores score(
      VaeScorer scorer, Detector detector, double[][] rows, String[] entities, long[] eventTimes) {
    ModelCard card = scorer.card();
    int n = rows.length;
    int f = card.features().size();
    int w = card.window();
    int d = card.inputDim();
    RowScores out = RowScores.ofSize(n);

    List<int[]> groups = groupByEntity(n, entities);
    long[] inputs = new long[n]; // each row's fingerprint, for the flatline channel
    float[] buf = new float[BATCH * d];
    int[] target = new int[BATCH];
    int pending = 0;
    for (int[] idx : groups) {
      for (int pos = w - 1; pos < idx.length; pos++) {
        for (int k = 0; k < w; k++) {
          double[] r = rows[idx[pos - w + 1 + k]];
          int base = pending * d + k * f;
          for (int j = 0; j < f; j++) {
            buf[base + j] = (float) r[j];
          }
        }
        inputs[idx[pos]] = Flatline.fingerprint(buf, pending * d + (w - 1) * f, f);
        target[pending++] = idx[pos];
        if (pending == BATCH) {
          flush(scorer, buf, target, pending, out);
          pending = 0;
        }
      }
    }
    if (pending > 0) {
      flush(scorer, buf, target, pending, out);
    }
    detect(detector, groups, out, eventTimes, inputs);
    return out;
  }

  private static void flush(VaeScorer scorer, float[] buf, int[] target, int n, RowScores out) {
    ScoreBatch b = scorer.score(buf, n);
    for (int i = 0; i < n; i++) {
      int row = target[i];
      out.scored()[row] = true;
      out.raw()[row] = b.rawScore(i);
      out.statistic()[row] = b.statistic(i);
      out.reconstructionError()[row] = b.reconstructionError(i);
      out.kl()[row] = b.kl(i);
      out.topFeature()[row] = b.topFeatures(i, 1).get(0).feature();
    }
  }

  /** Each entity's scored rows through the detector, in order, from a fresh state. */
  private static void detect(
      Detector detector, List<int[]> groups, RowScores out, long[] eventTimes, long[] inputs) {
    for (int[] idx : groups) {
      DetectorState state = null;
      for (int row : idx) {
        if (!out.scored()[row]) {
          continue; // warming up: the job sends such rows no further either
        }
        long t = eventTimes != null ? eventTimes[row] : row * 1000L;
        Detector.Step step = detector.step(state, out.statistic()[row], t, inputs[row]);
        state = step.state();
        Decision dec = step.decision();
        out.score()[row] = dec.score();
        out.smoothed()[row] = dec.smoothed();
        out.alert()[row] = dec.anomalous();
        out.severity()[row] = dec.severity();
        out.event()[row] = dec.event();
      }
    }
  }

  /**
   * Row indices per entity, each in table order; one group for all rows when there are no entities.
   */
  public static List<int[]> groupByEntity(int n, String[] entities) {
    if (entities == null) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return List.of(all);
    }
    Map<String, List<Integer>> byEntity = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byEntity.computeIfAbsent(entities[i], k -> new ArrayList<>()).add(i);
    }
    List<int[]> groups = new ArrayList<>();
    for (List<Integer> g : byEntity.values()) {
      groups.add(g.stream().mapToInt(Integer::intValue).toArray());
    }
    return groups;
  }
}
