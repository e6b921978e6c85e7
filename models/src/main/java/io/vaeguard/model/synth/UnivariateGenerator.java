package io.vaeguard.model.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Seeded, endless generator of labelled univariate series, one metric per entity, of the kind a
 * platform team watches (CPU, latency, request count, temperature): a daily and a weekly cycle, a
 * slow trend, AR(1) noise and level shifts (normal, label 0), plus rare anomalies (label 1) of the
 * kinds in {@link UnivariateKind}. {@link UnivariateConfig} holds the settings; the same config
 * gives the same rows.
 *
 * <p>{@link #next()} goes round the entities (entity 0..n-1 at step 0, then at step 1, ...), so
 * event times never go backwards; {@link #next(int)} advances one entity alone. Each entity's
 * stream depends only on the seed and its index, not on the order of calls. Not thread-safe.
 */
public final class UnivariateGenerator {

  private final UnivariateConfig config;
  private final List<UnivariateStream> streams;
  private final List<String> ids;
  private final List<UnivariateSpan> spans = new ArrayList<>();
  private int cursor;

  public UnivariateGenerator(UnivariateConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    int width = Math.max(3, String.valueOf(config.entities() - 1).length());
    List<UnivariateStream> list = new ArrayList<>(config.entities());
    List<String> names = new ArrayList<>(config.entities());
    for (int i = 0; i < config.entities(); i++) {
      String id = String.format("entity-%0" + width + "d", i);
      names.add(id);
      list.add(new UnivariateStream(config, i, id));
    }
    this.streams = List.copyOf(list);
    this.ids = List.copyOf(names);
  }

  public UnivariateConfig config() {
    return config;
  }

  public int entities() {
    return streams.size();
  }

  /** {@code entity-007}: zero-padded to at least three digits, so ids sort in index order. */
  public String entityId(int index) {
    checkIndex(index);
    return ids.get(index);
  }

  /**
   * The noise sigma of an entity, in the value's units: spikes, dips and shifts are sized in it.
   */
  public double noiseSigma(int index) {
    checkIndex(index);
    return streams.get(index).scale();
  }

  /** The next row, going round the entities. */
  public UnivariateRow next() {
    UnivariateRow r = next(cursor);
    cursor = (cursor + 1) % streams.size();
    return r;
  }

  /** The next row of one entity. */
  public UnivariateRow next(int index) {
    checkIndex(index);
    return streams.get(index).next(spans::add);
  }

  /**
   * Every span started so far, anomalies and level shifts, in the order they started. An anomaly is
   * listed from its first row on, with its planned end, which may lie beyond the last row made;
   * {@link UnivariateSpan#clippedTo(long)} cuts it.
   */
  public List<UnivariateSpan> spans() {
    return Collections.unmodifiableList(new ArrayList<>(spans));
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= streams.size()) {
      throw new IndexOutOfBoundsException(
          "entity index " + index + " outside 0.." + (streams.size() - 1));
    }
  }
}
