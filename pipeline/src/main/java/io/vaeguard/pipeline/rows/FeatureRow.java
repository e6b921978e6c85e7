package io.vaeguard.pipeline.rows;

import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One model input row for one entity: the raw (unscaled) feature values in the model card's order,
 * either one observation ({@code F} values) or a window of {@code W} observations flattened oldest
 * first ({@code W * F} values).
 *
 * <p>Rows are treated as immutable: operators never write into {@code values} after emitting it,
 * and consumers must not either (with object reuse on, the array is shared downstream).
 *
 * @param entityId the entity the row belongs to (the key for windows and alerts)
 * @param eventTime the event time of the (newest) observation, epoch millis
 * @param values raw feature values, row-major
 * @param labels the (newest) observation's labels, or null; passed through for evaluation, never
 *     scored
 */
@TypeInfo(FeatureRow.TypeFactory.class)
public record FeatureRow(
    String entityId, long eventTime, float[] values, Map<String, String> labels) {

  /** Flink's type information for this record (a POJO type: no Kryo). */
  public static final TypeInformation<FeatureRow> TYPE =
      Types.POJO(
          FeatureRow.class,
          Map.of(
              "entityId", Types.STRING,
              "eventTime", Types.LONG,
              "values", PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO,
              "labels", Types.MAP(Types.STRING, Types.STRING)));

  public FeatureRow {
    Objects.requireNonNull(entityId, "entityId");
    Objects.requireNonNull(values, "values");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureRow r
        && eventTime == r.eventTime
        && entityId.equals(r.entityId)
        && Arrays.equals(values, r.values)
        && Objects.equals(labels, r.labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(entityId, eventTime, labels) * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "FeatureRow["
        + entityId
        + " @"
        + eventTime
        + " "
        + Arrays.toString(values)
        + (labels == null ? "" : " " + labels)
        + "]";
  }

  /** Lets Flink's type extraction find {@link #TYPE}. */
  public static final class TypeFactory extends TypeInfoFactory<FeatureRow> {
    @Override
    public TypeInformation<FeatureRow> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return TYPE;
    }
  }
}
