package io.vaeguard.pipeline.scoring;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.vaeguard.model.ModelRef;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.pipeline.alerts.KeyedDetector;
import java.io.Serializable;

/**
 * What a scoring subtask needs, in serializable form (it travels in the job graph; {@link
 * ScorerOptions} itself is not serializable, so its three settings are kept here and rebuilt on the
 * TaskManager). Checked by {@link MicroBatchScoringOperatorFactory.Builder#build()}.
 *
 * @param model where the model is loaded from
 * @param device {@code cpu}, {@code cuda} or {@code cuda:N}
 * @param intraOpThreads ONNX Runtime threads per session run
 * @param optimizationLevel ONNX Runtime graph optimizations
 * @param maxBatchSize rows per batch at most
 * @param maxWaitMillis processing time a row may wait for its batch to fill; 0 = no batching
 * @param topFeatures how many top contributing features each anomalous row and each alert carries
 * @param detector the detector every row passes through, with its state TTL; null = the model
 *     card's, with the default cool-down and TTL
 */
public record ScoringSettings(
    ModelRef model,
    String device,
    int intraOpThreads,
    OptLevel optimizationLevel,
    int maxBatchSize,
    long maxWaitMillis,
    int topFeatures,
    KeyedDetector detector)
    implements Serializable {

  /** The ONNX Runtime options, rebuilt. */
  public ScorerOptions scorerOptions() {
    return ScorerOptions.builder()
        .device(device)
        .intraOpThreads(intraOpThreads)
        .optimizationLevel(optimizationLevel)
        .build();
  }
}
