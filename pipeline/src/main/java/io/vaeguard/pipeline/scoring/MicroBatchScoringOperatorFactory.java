package io.vaeguard.pipeline.scoring;

import io.vaeguard.model.ModelRef;
import io.vaeguard.model.Precision;
import io.vaeguard.model.detect.Detector;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.pipeline.alerts.KeyedDetector;
import io.vaeguard.pipeline.rows.FeatureRow;
import io.vaeguard.pipeline.rows.ScoredRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/**
 * Creates a {@link MicroBatchScoringOperator} per subtask from checked {@link ScoringSettings}.
 *
 * <pre>{@code
 * MicroBatchScoringOperatorFactory scoring = MicroBatchScoringOperator.builder()
 *     .model(ModelRef.parse("models/default", Precision.INT8, null))
 *     .scorerOptions(ScorerOptions.defaults())
 *     .maxBatchSize(256)
 *     .maxWait(Duration.ofMillis(10))
 *     .build();
 * SingleOutputStreamOperator<ScoredRow> scored =
 *     MicroBatchScoringOperator.attach(rows.keyBy(FeatureRow::entityId), scoring, "score", "score");
 * DataStream<Alert> alerts = scored.getSideOutput(KeyedDetector.ALERTS);
 * }</pre>
 */
public final class MicroBatchScoringOperatorFactory extends AbstractStreamOperatorFactory<ScoredRow>
    implements OneInputStreamOperatorFactory<FeatureRow, ScoredRow> {

  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_MAX_BATCH_SIZE = 256;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(10);
  public static final int DEFAULT_TOP_FEATURES = 3;

  private final ScoringSettings settings;

  private MicroBatchScoringOperatorFactory(ScoringSettings settings) {
    this.settings = settings;
    setChainingStrategy(ChainingStrategy.ALWAYS);
  }

  public static Builder builder() {
    return new Builder();
  }

  public ScoringSettings settings() {
    return settings;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StreamOperator<ScoredRow>> T createStreamOperator(
      StreamOperatorParameters<ScoredRow> parameters) {
    return (T) new MicroBatchScoringOperator(parameters, settings);
  }

  @Override
  public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
    return MicroBatchScoringOperator.class;
  }

  /** Checks every argument; {@link #build()} says what is missing. */
  public static final class Builder {
    private ModelRef model;
    private ScorerOptions scorerOptions = ScorerOptions.defaults();
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private int topFeatures = DEFAULT_TOP_FEATURES;
    private KeyedDetector detector;

    private Builder() {}

    /** Where each subtask loads the model (required). */
    public Builder model(ModelRef model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** Shorthand for {@code model(ModelRef.directory(dir, precision))}. */
    public Builder modelDirectory(Path dir, Precision precision) {
      return model(ModelRef.directory(dir, precision));
    }

    /** Shorthand for {@code model(ModelRef.classpath(resourceDir, precision))}. */
    public Builder modelResource(String resourceDir, Precision precision) {
      return model(ModelRef.classpath(resourceDir, precision));
    }

    /** ONNX Runtime options (default {@link ScorerOptions#defaults()}: CPU, one thread). */
    public Builder scorerOptions(ScorerOptions options) {
      this.scorerOptions = Objects.requireNonNull(options, "scorerOptions");
      return this;
    }

    /** Rows per batch at most, >= 1 (default 256). */
    public Builder maxBatchSize(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + rows);
      }
      this.maxBatchSize = rows;
      return this;
    }

    /**
     * How long (processing time, millisecond resolution) the first row of a batch waits for the
     * batch to fill, >= 0 (default 10 ms); 0 scores every row as it arrives.
     */
    public Builder maxWait(Duration wait) {
      Objects.requireNonNull(wait, "maxWait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("maxWait must be >= 0, got " + wait);
      }
      this.maxWait = wait;
      return this;
    }

    /**
     * Top contributing features per anomalous row and per alert, >= 0 (default 3). Normal rows
     * carry none: only alerts and anomalous scores show them, and ranking every row's features was
     * a measurable share of the job's time.
     */
    public Builder topFeatures(int k) {
      if (k < 0) {
        throw new IllegalArgumentException("topFeatures must be >= 0, got " + k);
      }
      this.topFeatures = k;
      return this;
    }

    /**
     * The detector that decides every row, with its keyed-state TTL (default: the model card's
     * detector, cool-down {@link Detector#DEFAULT_COOL_DOWN}, TTL {@link
     * KeyedDetector#DEFAULT_STATE_TTL}).
     */
    public Builder detector(Detector detector, Duration stateTtl) {
      this.detector = new KeyedDetector(detector, stateTtl);
      return this;
    }

    public MicroBatchScoringOperatorFactory build() {
      if (model == null) {
        throw new IllegalStateException(
            "the scoring operator needs a model: call model(ModelRef...), modelDirectory(...) or modelResource(...)");
      }
      long waitMillis = maxWait.toMillis();
      if (waitMillis == 0 && !maxWait.isZero()) {
        throw new IllegalArgumentException(
            "maxWait " + maxWait + " is below the timer resolution of 1 ms; use 0 or >= 1 ms");
      }
      return new MicroBatchScoringOperatorFactory(
          new ScoringSettings(
              model,
              scorerOptions.device(),
              scorerOptions.intraOpThreads(),
              scorerOptions.optimizationLevel(),
              maxBatchSize,
              waitMillis,
              topFeatures,
              detector));
    }
  }
}
