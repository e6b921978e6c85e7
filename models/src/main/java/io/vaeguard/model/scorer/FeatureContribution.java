package io.vaeguard.model.scorer;

/**
 * One feature's share of a row's reconstruction error, as the scorer ranks them. (The Avro {@code
 * io.vaeguard.schema.FeatureShare} is the same pair on the wire, in an alert.)
 *
 * @param feature the feature's name in the model card
 * @param share fraction of the row's error, in [0, 1]; a row's shares sum to 1
 */
public record FeatureContribution(String feature, double share) {}
