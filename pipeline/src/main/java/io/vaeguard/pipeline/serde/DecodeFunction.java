package io.vaeguard.pipeline.serde;

import io.vaeguard.model.card.ModelCard;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.source.RawRecord;
import io.vaeguard.schema.DeadLetter;
import io.vaeguard.schema.Observation;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes Kafka values ({@link Observation}s) into {@link FeatureRow}s with the model's features in
 * the model card's order ({@link ObservationRowDecoder}: the current schema without building an
 * Observation, older ones through Avro). A record that cannot be used (not Avro single-object
 * encoding, another schema, a missing or non-finite feature, a value beyond the model's float
 * range) goes to the side output {@link #DEAD_LETTERS} with the reason, its topic, partition and
 * offset and its original bytes; the job keeps running.
 *
 * <p>Metrics on the operator's group: counters {@code recordsIn} and {@code deadLettered}.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<FeatureRow> rows =
 *     raw.process(new DecodeFunction(card)).name("decode").uid("decode");
 * DataStream<DeadLetter> dead = rows.getSideOutput(DecodeFunction.DEAD_LETTERS);
 * }</pre>
 */
public final class DecodeFunction extends ProcessFunction<RawRecord, FeatureRow>
    implements ResultTypeQueryable<FeatureRow> {

  private static final long serialVersionUID = 1L;

  /** Records that could not be decoded or vectorized. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  private final ArrayList<String> featureNames;

  /**
   * The card's scaler, to refuse values that standardise beyond the float range; null = no check.
   */
  private final double[] mean;

  private final double[] std;

  private transient ObservationRowDecoder decoder;
  private transient Counter recordsIn;
  private transient Counter deadLettered;

  /**
   * Decodes for {@code card}'s model: its features in input order, and values its scaler would
   * standardise beyond the float range are dead-lettered too (they would fail a scoring batch).
   */
  public DecodeFunction(ModelCard card) {
    this(card.features(), card.scaler().mean(), card.scaler().std());
  }

  /**
   * @param featureNames the model's features in input order ({@code ModelCard.features()})
   */
  public DecodeFunction(List<String> featureNames) {
    this(featureNames, null, null);
  }

  private DecodeFunction(List<String> featureNames, double[] mean, double[] std) {
    if (featureNames == null || featureNames.isEmpty()) {
      throw new IllegalArgumentException(
          "DecodeFunction needs the model's feature names, got " + featureNames);
    }
    this.featureNames = new ArrayList<>(featureNames);
    this.mean = mean == null ? null : mean.clone();
    this.std = std == null ? null : std.clone();
  }

  @Override
  public void open(OpenContext openContext) {
    decoder = new ObservationRowDecoder(featureNames);
    recordsIn = getRuntimeContext().getMetricGroup().counter("recordsIn");
    deadLettered = getRuntimeContext().getMetricGroup().counter("deadLettered");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<FeatureRow> out) {
    recordsIn.inc();
    FeatureRow row = decoder.decode(raw.value());
    String failure = row == null ? decoder.failure() : checkScale(row.values());
    if (failure != null) {
      deadLetter(raw, failure, ctx);
      return;
    }
    out.collect(row);
  }

  /** The scorer standardises (v - mean) / std into a float; this refuses what would overflow. */
  private String checkScale(float[] values) {
    if (mean == null) {
      return null;
    }
    for (int j = 0; j < values.length; j++) {
      if (!Float.isFinite((float) ((values[j] - mean[j]) / std[j]))) {
        return "feature out of the model's range: "
            + featureNames.get(j)
            + "="
            + values[j]
            + " (standardises beyond the float range with mean "
            + mean[j]
            + ", std "
            + std[j]
            + ")";
      }
    }
    return null;
  }

  private void deadLetter(RawRecord raw, String reason, Context ctx) {
    deadLettered.inc();
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setPayload(ByteBuffer.wrap(raw.value() == null ? new byte[0] : raw.value()))
            .setTopic(raw.topic() == null ? "" : raw.topic())
            .setPartition(raw.partition())
            .setOffset(raw.offset())
            .setReason(reason)
            .setFailedTime(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
            .build();
    ctx.output(DEAD_LETTERS, letter);
  }

  @Override
  public TypeInformation<FeatureRow> getProducedType() {
    return FeatureRow.TYPE;
  }

  @VisibleForTesting
  Counter recordsInCounter() {
    return recordsIn;
  }

  @VisibleForTesting
  Counter deadLetteredCounter() {
    return deadLettered;
  }
}
