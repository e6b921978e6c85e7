package io.vaeguard.train;

/**
 * One epoch of a run.
 *
 * @param epoch 1-based
 * @param trainLoss mean loss over the training rows, with sampled z
 * @param validationLoss loss on held-out rows with z = mu; NaN when nothing is held out
 * @param validationMse reconstruction part of {@code validationLoss} (mean squared error per
 *     feature); NaN when nothing is held out
 */
public record EpochStats(
    int epoch, double trainLoss, double validationLoss, double validationMse) {}
