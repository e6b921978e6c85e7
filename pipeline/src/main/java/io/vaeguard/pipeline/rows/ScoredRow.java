package io.vaeguard.pipeline.rows;

import io.vaeguard.schema.Score;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The scores of one input row and the detector's decision on it (docs/ARCHITECTURE.md, section 2),
 * as the micro-batch scoring operator emits them.
 *
 * @param entityId the row's entity
 * @param eventTime the row's event time, epoch millis
 * @param score the detector's calibrated score in [0, 1): 1 - how often normal rows reach the
 *     detector's (smoothed) view of this row
 * @param rawScore reconstruction error + klWeight * KL
 * @param statistic the row's detector statistic (the model card's detector.statistic), unsmoothed
 * @param reconstructionError mean squared error of the normalised input against its reconstruction
 * @param kl KL divergence of the encoder's posterior from N(0, I)
 * @param severity 0 for normal rows, 1-100 for anomalous ones
 * @param aboveThreshold the detector's decision: the row is anomalous
 * @param warmingUp the entity has fewer rows than the model's window so far: not scored
 * @param topFeatures the features with the largest shares of the error, largest first; empty for
 *     normal rows that raise no alert event
 * @param topShares their shares, in the same order
 * @param labels the observation's labels, or null (passed through, never scored)
 * @param modelName the scoring model's name
 * @param modelVersion the scoring model's version
 * @param enteredAt processing time at which the row entered the scoring operator, epoch millis
 * @param scoredAt processing time at which its batch was scored, epoch millis
 */
@TypeInfo(ScoredRow.TypeFactory.class)
public record ScoredRow(
    String entityId,
    long eventTime,
    double score,
    double rawScore,
    double statistic,
    double reconstructionError,
    double kl,
    int severity,
    boolean aboveThreshold,
    boolean warmingUp,
    String[] topFeatures,
    double[] topShares,
    Map<String, String> labels,
    String modelName,
    String modelVersion,
    long enteredAt,
    long scoredAt) {

  /** Flink's type information for this record (a POJO type: no Kryo). */
  public static final TypeInformation<ScoredRow> TYPE = Types.POJO(ScoredRow.class, fields());

  private static Map<String, TypeInformation<?>> fields() {
    Map<String, TypeInformation<?>> f = new HashMap<>();
    f.put("entityId", Types.STRING);
    f.put("eventTime", Types.LONG);
    f.put("score", Types.DOUBLE);
    f.put("rawScore", Types.DOUBLE);
    f.put("statistic", Types.DOUBLE);
    f.put("warmingUp", Types.BOOLEAN);
    f.put("reconstructionError", Types.DOUBLE);
    f.put("kl", Types.DOUBLE);
    f.put("severity", Types.INT);
    f.put("aboveThreshold", Types.BOOLEAN);
    f.put("topFeatures", BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);
    f.put("topShares", PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO);
    f.put("labels", Types.MAP(Types.STRING, Types.STRING));
    f.put("modelName", Types.STRING);
    f.put("modelVersion", Types.STRING);
    f.put("enteredAt", Types.LONG);
    f.put("scoredAt", Types.LONG);
    return f;
  }

  /**
   * The Avro record for the scores topic (the constructor: the builder validates and copies per
   * record).
   */
  public Score toScore() {
    return new Score(
        entityId,
        Instant.ofEpochMilli(eventTime),
        Instant.ofEpochMilli(scoredAt),
        modelName,
        modelVersion,
        reconstructionError,
        kl,
        rawScore,
        score,
        aboveThreshold,
        statistic,
        severity,
        warmingUp);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoredRow r
        && eventTime == r.eventTime
        && Double.compare(score, r.score) == 0
        && Double.compare(rawScore, r.rawScore) == 0
        && Double.compare(statistic, r.statistic) == 0
        && warmingUp == r.warmingUp
        && Double.compare(reconstructionError, r.reconstructionError) == 0
        && Double.compare(kl, r.kl) == 0
        && severity == r.severity
        && aboveThreshold == r.aboveThreshold
        && enteredAt == r.enteredAt
        && scoredAt == r.scoredAt
        && Objects.equals(entityId, r.entityId)
        && Arrays.equals(topFeatures, r.topFeatures)
        && Arrays.equals(topShares, r.topShares)
        && Objects.equals(labels, r.labels)
        && Objects.equals(modelName, r.modelName)
        && Objects.equals(modelVersion, r.modelVersion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(entityId, eventTime, score, modelVersion);
  }

  @Override
  public String toString() {
    return "ScoredRow["
        + entityId
        + " @"
        + eventTime
        + " score="
        + score
        + " raw="
        + rawScore
        + " stat="
        + statistic
        + " E="
        + reconstructionError
        + " kl="
        + kl
        + " severity="
        + severity
        + (aboveThreshold ? " ABOVE" : "")
        + (warmingUp ? " WARMING-UP" : "")
        + " top="
        + Arrays.toString(topFeatures)
        + Arrays.toString(topShares)
        + (labels == null ? "" : " " + labels)
        + " model="
        + modelName
        + " "
        + modelVersion
        + "]";
  }

  /** Lets Flink's type extraction find {@link #TYPE}. */
  public static final class TypeFactory extends TypeInfoFactory<ScoredRow> {
    @Override
    public TypeInformation<ScoredRow> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return TYPE;
    }
  }
}
