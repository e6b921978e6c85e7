package io.vaeguard.model.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;

/**
 * The detector's fitted parameters, stored in the model card's {@code detector} section. The
 * calibration of the (smoothed) statistic, the threshold and the persistence stay where they were,
 * in the card's {@code calibration}, {@code threshold} and {@code persistence}.
 *
 * @param statistic the per-row number watched
 * @param errorScale per feature (card order): its mean part of the reconstruction error on the
 *     fitting rows the model was trained on; the standardised statistics divide by it. Empty for
 *     {@link Statistic#RAW}.
 * @param smoothing EWMA weight of the newest row, 1 = no smoothing
 * @param generalisationGap mean statistic on the held-out fitting rows over that on the rows the
 *     model was trained on (at least 1): the calibration was fitted on statistics scaled by it,
 *     since rows the model has seen score lower than new normal rows
 * @param targetFar the false-alarm rate the threshold was set for
 * @param resolveAfter normal rows that close an episode
 * @param adaptHalfLife rows for the per-entity baseline to move halfway to a new level; 0 = off
 * @param baseline mean statistic on the fitting rows (after the gap correction and the cap): where
 *     every entity's moving average and its adaptive baseline start; 0 in older cards, whose
 *     average starts at the entity's first row
 * @param instantCalibration the row's own (unsmoothed, gap-corrected) statistic to [0,1], for the
 *     spike channel; null when smoothing is off (both channels would be one) or the channel is
 *     switched off ({@code train --no-spike-channel})
 * @param cap the most one row adds to the moving average; 0 for no cap (smoothing off, or {@code
 *     train --no-cap})
 * @param flatlineAfter rows in a row that repeat the previous row's inputs exactly after which a
 *     row is anomalous ({@link Flatline}); 0 = off (older cards, or {@code train --no-flatline})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DetectorSpec(
    Statistic statistic,
    double[] errorScale,
    double smoothing,
    double generalisationGap,
    double targetFar,
    int resolveAfter,
    double adaptHalfLife,
    double baseline,
    io.vaeguard.model.calibration.Calibration instantCalibration,
    double cap,
    int flatlineAfter)
    implements java.io.Serializable {

  public DetectorSpec {
    if (statistic == null) {
      statistic = Statistic.RAW;
    }
    errorScale = errorScale == null ? new double[0] : errorScale.clone();
    for (double s : errorScale) {
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new IllegalArgumentException(
            "detector error scales must be positive and finite, got " + s);
      }
    }
    if (statistic.standardised() && errorScale.length == 0) {
      throw new IllegalArgumentException(
          "a " + statistic + " statistic needs one error scale per feature");
    }
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new IllegalArgumentException("detector smoothing must be in (0, 1], got " + smoothing);
    }
    if (resolveAfter < 1) {
      resolveAfter = DetectorOptions.DEFAULT_RESOLVE_AFTER;
    }
    if (!(cap >= 0)) {
      throw new IllegalArgumentException("detector cap must be >= 0 (0 = none), got " + cap);
    }
    if (!(generalisationGap >= 1)) {
      generalisationGap = 1;
    }
    if (flatlineAfter < 0) {
      throw new IllegalArgumentException(
          "detector flatlineAfter must be >= 0 (0 = off), got " + flatlineAfter);
    }
  }

  /**
   * What a card written before the detector existed means: the raw score, no smoothing, its
   * threshold and persistence as they were.
   */
  public static DetectorSpec legacy(double threshold) {
    return new DetectorSpec(
        Statistic.RAW,
        null,
        1,
        1,
        Math.max(1e-12, 1 - threshold),
        DetectorOptions.DEFAULT_RESOLVE_AFTER,
        0,
        0,
        null,
        0,
        0);
  }

  /** These parameters with the flatline channel alerting after {@code rows} repeats (0: off). */
  public DetectorSpec withFlatlineAfter(int rows) {
    return new DetectorSpec(
        statistic,
        errorScale,
        smoothing,
        generalisationGap,
        targetFar,
        resolveAfter,
        adaptHalfLife,
        baseline,
        instantCalibration,
        cap,
        rows);
  }

  /** The options these parameters were fitted with (persistence from the card). */
  public DetectorOptions options(int persistence) {
    boolean smoothed = smoothing < 1;
    return new DetectorOptions(
        statistic,
        smoothing,
        Math.min(targetFar, 0.49),
        persistence,
        resolveAfter,
        adaptHalfLife,
        !smoothed || instantCalibration != null,
        !smoothed || cap > 0,
        flatlineAfter > 0);
  }

  @Override
  public double[] errorScale() {
    return errorScale.clone();
  }

  /** The scale of one feature, without a copy. */
  public double errorScale(int feature) {
    return errorScale[feature];
  }

  public int features() {
    return errorScale.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DetectorSpec d
        && statistic == d.statistic
        && Arrays.equals(errorScale, d.errorScale)
        && smoothing == d.smoothing
        && generalisationGap == d.generalisationGap
        && targetFar == d.targetFar
        && resolveAfter == d.resolveAfter
        && adaptHalfLife == d.adaptHalfLife
        && baseline == d.baseline
        && java.util.Objects.equals(instantCalibration, d.instantCalibration)
        && cap == d.cap
        && flatlineAfter == d.flatlineAfter;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(errorScale) * 31 + statistic.hashCode();
  }

  @Override
  public String toString() {
    return "DetectorSpec["
        + statistic
        + ", smoothing "
        + smoothing
        + ", gap "
        + generalisationGap
        + ", targetFar "
        + targetFar
        + ", resolveAfter "
        + resolveAfter
        + ", adaptHalfLife "
        + adaptHalfLife
        + "]";
  }
}
