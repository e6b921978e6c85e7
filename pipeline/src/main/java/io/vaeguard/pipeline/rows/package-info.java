/**
 * The rows that travel between the job's operators: {@link io.vaeguard.pipeline.rows.FeatureRow} (a
 * decoded observation as the model's input vector) and {@link io.vaeguard.pipeline.rows.ScoredRow}
 * (its scores and the detector's decision). Kept apart from the operators that make and read them,
 * so that {@code features}, {@code scoring}, {@code serde} and {@code sink} each depend on this
 * package and none on another's.
 */
package io.vaeguard.pipeline.rows;
