package io.vaeguard.cli.offline;

import io.vaeguard.model.eval.DetectionMetrics;

/**
 * The backtest of one file: metrics over its test rows, and their scores and labels for pooled ROC-AUC.
 */
public record FileResult(
    String name, DetectionMetrics metrics, double auc, double[] testScores, int[] testLabels, int epochs, double seconds,
    io.vaeguard.model.eval.BandPrecision bands) {}
