package io.vaeguard.train.optimize;

import io.vaeguard.train.TrainConfig;
import io.vaeguard.train.TrainResult;

/**
 * Fine-tuned or distilled weights with the run that made them (for the variant's card).
 *
 * @param how what was done to the weights, for people
 */
record Trained(TrainResult result, TrainConfig cfg, String how) {}
