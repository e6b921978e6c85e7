package io.vaeguard.model.scorer;

import ai.onnxruntime.OrtException;

/**
 * ONNX Runtime failed to score a batch. Carries what an operator needs to find the cause: the batch
 * size, the model and ORT's error code. Unchecked, so that a Flink task fails (and restarts from
 * its checkpoint) instead of dropping the batch.
 */
public final class ScoringException extends RuntimeException {

  private final int batchSize;
  private final String model;
  private final OrtException.OrtErrorCode errorCode;

  ScoringException(int batchSize, String model, OrtException cause) {
    super(
        "scoring a batch of "
            + batchSize
            + " rows with model "
            + model
            + " failed: ORT error "
            + cause.getCode()
            + ": "
            + cause.getMessage(),
        cause);
    this.batchSize = batchSize;
    this.model = model;
    this.errorCode = cause.getCode();
  }

  public int batchSize() {
    return batchSize;
  }

  /** Name, version and precision, e.g. {@code pump-vae 3 (int8)}. */
  public String model() {
    return model;
  }

  public OrtException.OrtErrorCode errorCode() {
    return errorCode;
  }
}
