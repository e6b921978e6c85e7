package io.vaeguard.pipeline.features;

import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.rows.ScoredRow;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The sliding window of the last {@code W} rows per entity, for models with {@code window > 1} (a
 * keyed process function, not one of Flink's windows): keyed by entity, keeps the last {@code W}
 * rows of {@code F} features per entity and, once there are {@code W}, emits for every new row a
 * {@link FeatureRow} of {@code W * F} values, oldest row first, with the newest row's event time
 * and labels. It is causal: an output uses only its row and earlier ones. The first {@code W - 1}
 * rows of an entity cannot be scored yet: each goes to the side output {@link #WARMING_UP} as a
 * {@link ScoredRow} marked warming up (scores 0), so that the scores topic has one record per
 * input. Rows are taken in arrival order (Kafka keeps that order per partition, so producers should
 * key observations by entity).
 *
 * <p>State: one {@code float[]} per entity (its length says how many rows it holds), with a
 * processing-time TTL so that idle entities do not stay in state forever; an entity that comes back
 * after the TTL starts a new window.
 *
 * <p>For {@code W = 1} the job skips this operator.
 *
 * <pre>{@code
 * rows.keyBy(FeatureRow::entityId)
 *     .process(new SlidingRowWindow(card.window(), card.features().size(), Duration.ofHours(1)))
 *     .name("window").uid("window");
 * }</pre>
 */
public final class SlidingRowWindow extends KeyedProcessFunction<String, FeatureRow, FeatureRow>
    implements ResultTypeQueryable<FeatureRow> {

  private static final long serialVersionUID = 1L;

  private final int window;
  private final int features;
  private final Duration idleTtl;
  private final String modelName;
  private final String modelVersion;

  /** Rows of entities whose window is not full yet, for the scores topic. */
  public static final OutputTag<ScoredRow> WARMING_UP =
      new OutputTag<>("warming-up", ScoredRow.TYPE);

  private static final String[] NO_FEATURES = {};
  private static final double[] NO_SHARES = {};

  private transient ValueState<float[]> rows;

  /**
   * @param window rows per output, W >= 1 (the model card's {@code window})
   * @param features values per input row, F >= 1
   * @param idleTtl how long an entity's window survives without new rows (processing time); {@link
   *     Duration#ZERO} keeps state forever
   */
  public SlidingRowWindow(int window, int features, Duration idleTtl) {
    this(window, features, idleTtl, "", "");
  }

  /**
   * @param modelName the scoring model's name, for the warming-up rows
   * @param modelVersion its version
   */
  public SlidingRowWindow(
      int window, int features, Duration idleTtl, String modelName, String modelVersion) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, got " + window);
    }
    if (features < 1) {
      throw new IllegalArgumentException("features must be >= 1, got " + features);
    }
    Objects.requireNonNull(idleTtl, "idleTtl");
    if (idleTtl.isNegative()) {
      throw new IllegalArgumentException("idleTtl must be >= 0 (0 = no TTL), got " + idleTtl);
    }
    this.window = window;
    this.features = features;
    this.idleTtl = idleTtl;
    this.modelName = Objects.requireNonNull(modelName, "modelName");
    this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<float[]> descriptor =
        new ValueStateDescriptor<>(
            "window-rows", PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO);
    if (!idleTtl.isZero()) {
      descriptor.enableTimeToLive(
          StateTtlConfig.newBuilder(idleTtl)
              .updateTtlOnCreateAndWrite()
              .neverReturnExpired()
              .build());
    }
    rows = getRuntimeContext().getState(descriptor);
  }

  @Override
  public void processElement(FeatureRow row, Context ctx, Collector<FeatureRow> out)
      throws Exception {
    float[] v = row.values();
    if (v.length != features) {
      throw new IllegalArgumentException(
          "entity "
              + row.entityId()
              + ": a row has "
              + v.length
              + " values, the window expects "
              + features
              + " features a row");
    }
    float[] held = rows.value();
    int width = window * features;
    float[] next;
    if (held == null) {
      next = Arrays.copyOf(v, features);
    } else if (held.length < width) {
      next = Arrays.copyOf(held, held.length + features);
      System.arraycopy(v, 0, next, held.length, features);
    } else {
      // full: drop the oldest row. A new array each time, since the emitted row must never change.
      next = new float[width];
      System.arraycopy(held, features, next, 0, width - features);
      System.arraycopy(v, 0, next, width - features, features);
    }
    rows.update(next);
    if (next.length == width) {
      out.collect(new FeatureRow(row.entityId(), row.eventTime(), next, row.labels()));
    } else {
      long now = ctx.timerService().currentProcessingTime();
      ctx.output(
          WARMING_UP,
          new ScoredRow(
              row.entityId(),
              row.eventTime(),
              0,
              0,
              0,
              0,
              0,
              0,
              false,
              true,
              NO_FEATURES,
              NO_SHARES,
              row.labels(),
              modelName,
              modelVersion,
              now,
              now));
    }
  }

  @Override
  public TypeInformation<FeatureRow> getProducedType() {
    return FeatureRow.TYPE;
  }
}
