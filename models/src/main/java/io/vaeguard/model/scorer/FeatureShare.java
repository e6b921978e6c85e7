package io.vaeguard.model.scorer;

/**
 * One feature's share of a row's reconstruction error.
 *
 * @param feature the feature's name in the model card
 * @param share fraction of the row's error, in [0, 1]; a row's shares sum to 1
 */
public record FeatureShare(String feature, double share) {}
