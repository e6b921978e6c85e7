package io.vaeguard.cli.offline;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.scorer.ScoreBatch;
import io.vaeguard.model.scorer.VaeScorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a whole table offline, causally: row t of an entity is scored on the window of that
 * entity's rows ending at t, so no score looks ahead. Rows are sent to ONNX Runtime in batches.
 */
public final class TableScorer {

  private static final int BATCH = 1024;

  private TableScorer() {}

  /**
   * @param rows raw values in the card's feature order, {@code [n][features]}, chronological per entity
   * @param entities entity of each row, or null when all rows belong to one entity
   */
  public static RowScores score(VaeScorer scorer, double[][] rows, String[] entities) {
    ModelCard card = scorer.card();
    int n = rows.length;
    int f = card.features().size();
    int w = card.window();
    int d = card.inputDim();
    RowScores out = new RowScores(new boolean[n], new double[n], new double[n], new double[n], new double[n],
        new boolean[n], new boolean[n], new String[n]);

    List<int[]> groups = groupByEntity(n, entities);
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
    applyPersistence(groups, out, card.persistence());
    return out;
  }

  private static void flush(VaeScorer scorer, float[] buf, int[] target, int n, RowScores out) {
    ScoreBatch b = scorer.score(buf, n);
    for (int i = 0; i < n; i++) {
      int row = target[i];
      out.scored()[row] = true;
      out.score()[row] = b.score(i);
      out.raw()[row] = b.rawScore(i);
      out.reconstructionError()[row] = b.reconstructionError(i);
      out.kl()[row] = b.kl(i);
      out.above()[row] = b.alert(i);
      out.topFeature()[row] = b.topFeatures(i, 1).get(0).feature();
    }
  }

  /** An alert needs {@code p} scored rows in a row of one entity at or above the threshold. */
  private static void applyPersistence(List<int[]> groups, RowScores out, int p) {
    for (int[] idx : groups) {
      int run = 0;
      for (int row : idx) {
        run = out.above()[row] ? run + 1 : 0;
        out.alert()[row] = run >= p;
      }
    }
  }

  /** Row indices per entity, each in table order; one group for all rows when there are no entities. */
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
