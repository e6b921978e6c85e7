package io.vaeguard.model.detect;

import io.vaeguard.model.calibration.Calibration;
import io.vaeguard.model.calibration.CalibrationLookup;
import io.vaeguard.model.card.ModelCard;
import java.io.Serializable;
import java.time.Duration;

/**
 * Turns the statistic of each row of one entity, in order, into a decision, causally: a row's
 * decision depends only on it and the entity's earlier rows, through a small {@link DetectorState}.
 * The streaming job keeps that state in Flink's keyed state and the offline verbs in a map per
 * entity; both call {@link #step} with the same rows and so decide the same.
 *
 * <p>Per row, in this order (each stage described by the model card's {@code detector} section):
 *
 * <ol>
 *   <li>smoothing: an exponentially weighted moving average of the statistic (weight {@code
 *       smoothing} on the newest row, starting at the fitting rows' mean), each row's part capped
 *       ({@code cap}: twice the average's alert level's height above the mean, so that after an
 *       anomaly of any size the average is back under its threshold within about 7 rows at
 *       smoothing 0.1, while a lasting shift still holds it above);
 *   <li>adaptive baseline (off unless {@code adaptHalfLife > 0}): the smoothed statistic divided by
 *       the entity's slowly moving baseline and multiplied by the fitting rows' one, so that a
 *       level that lasts becomes the new normal while a spike still stands out;
 *   <li>calibration: how rare it is among normal rows, from the card's calibration (an empirical
 *       CDF with an exponential tail fitted on the fitting rows). With smoothing on, the row's own
 *       statistic is calibrated too (the spike channel: a one-row spike barely moves an average)
 *       and the row's tail probability is the smaller of the two, each divided by its channel's
 *       share of the false-alarm budget ({@link #SPIKE_SHARE} for spikes; a Bonferroni bound, so
 *       that both channels together keep the target false-alarm rate); the score is 1 - that;
 *   <li>flatline (when the card's {@code flatlineAfter} is set): a run of rows that repeat their
 *       inputs exactly, longer than any in the fitting rows, is anomalous however normal the
 *       statistic ({@link Flatline}: a stuck sensor);
 *   <li>threshold and persistence: a row is anomalous when the score has been at or above the
 *       threshold for {@code persistence} rows in a row;
 *   <li>episodes: the first anomalous row opens an episode (an OPEN alert), an anomalous row once
 *       the cool-down (event time) since the last alert has passed repeats it (REPEAT), and {@code
 *       resolveAfter} normal rows in a row close it (RESOLVE);
 *   <li>severity 1-100 of an anomalous row from its tail probability ({@link Severity}).
 * </ol>
 *
 * <p>Immutable and serializable: one instance serves every entity of a Flink subtask.
 */
public final class Detector implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * A non-finite statistic (a model output that overflowed) counts as this: far out, yet finite for
   * the EWMA.
   */
  static final double CAP = 1e100;

  public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(60);

  /**
   * The spike channel's share of the false-alarm budget; the moving average has the rest. A tenth:
   * the spikes worth an alert stand far out, and an even split let single noisy rows through (on
   * the generator's labelled streams, half the episodes opened on one normal row at 1/2).
   */
  public static final double SPIKE_SHARE = 0.1;

  private final DetectorSpec spec;
  private final Calibration calibration;
  // the per-row look-ups of the two calibrations (the same numbers, found faster)
  private final CalibrationLookup average;
  private final CalibrationLookup spike;
  private final double threshold;
  private final int persistence;
  private final long coolDownMillis;
  private final double adaptRate;
  private final double clip;

  private Detector(
      DetectorSpec spec,
      Calibration calibration,
      double threshold,
      int persistence,
      long coolDownMillis) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException(
          "threshold must be a calibrated score in (0, 1), got " + threshold);
    }
    if (coolDownMillis < 0) {
      throw new IllegalArgumentException("cool-down must be >= 0, got " + coolDownMillis + " ms");
    }
    this.spec = spec;
    this.calibration = calibration;
    this.average = CalibrationLookup.of(calibration);
    this.spike =
        spec.instantCalibration() != null ? CalibrationLookup.of(spec.instantCalibration()) : null;
    this.threshold = threshold;
    this.persistence = Math.max(1, persistence);
    this.coolDownMillis = coolDownMillis;
    this.adaptRate =
        spec.adaptHalfLife() > 0 && spec.baseline() > 0
            ? 1 - Math.pow(0.5, 1 / spec.adaptHalfLife())
            : 0;
    this.clip = spec.cap() > 0 ? spec.cap() : Double.POSITIVE_INFINITY;
  }

  /** The card's detector with the default cool-down. */
  public static Detector of(ModelCard card) {
    return of(card, DEFAULT_COOL_DOWN, Double.NaN);
  }

  /**
   * The card's detector.
   *
   * @param coolDown event time after an alert before the same episode alerts again
   * @param threshold a calibrated score in (0, 1) replacing the card's, or NaN for the card's
   */
  public static Detector of(ModelCard card, Duration coolDown, double threshold) {
    DetectorSpec spec = specOf(card);
    double t = Double.isNaN(threshold) ? card.threshold() : threshold;
    return new Detector(spec, card.calibration(), t, card.persistence(), coolDown.toMillis());
  }

  /** The card's detector section, or what a card written before it existed means. */
  public static DetectorSpec specOf(ModelCard card) {
    return card.detector() != null ? card.detector() : DetectorSpec.legacy(card.threshold());
  }

  public DetectorSpec spec() {
    return spec;
  }

  public double threshold() {
    return threshold;
  }

  public int persistence() {
    return persistence;
  }

  /** The false-alarm rate the threshold stands for: 1 - threshold. */
  public double targetFar() {
    return 1 - threshold;
  }

  /** A step: the entity's next state and the row's decision. */
  public record Step(DetectorState state, Decision decision) {}

  /**
   * Decides one row.
   *
   * @param state the entity's state after its previous row, or null for its first row
   * @param statistic the row's statistic ({@link StatisticFunction})
   * @param eventTime the row's event time, epoch millis (the cool-down is measured in it)
   */
  public Step step(DetectorState state, double statistic, long eventTime) {
    return step(state, statistic, eventTime, Flatline.UNKNOWN);
  }

  /**
   * Decides one row, with its inputs' fingerprint for the flatline channel.
   *
   * @param inputs {@link Flatline#fingerprint} of the row's newest inputs, or {@link
   *     Flatline#UNKNOWN}
   */
  public Step step(DetectorState state, double statistic, long eventTime, long inputs) {
    DetectorState s = state != null ? state : DetectorState.initial(spec.baseline());
    int flatRun = inputs != Flatline.UNKNOWN && inputs == s.lastInput() ? s.flatRun() + 1 : 0;
    double x = Double.isNaN(statistic) || statistic > CAP ? CAP : Math.max(0, statistic);
    double a = spec.smoothing();
    double xs = Math.min(x, clip);
    double previous = s.rows() > 0 ? s.smoothed() : spec.baseline() > 0 ? spec.baseline() : xs;
    double smoothed = a * xs + (1 - a) * previous;

    double watched = smoothed;
    double own = x;
    double baseline = s.baseline();
    if (adaptRate > 0) {
      // Relative to where this entity has been lately, in units of the fitting rows' level; both
      // channels, or a lasting shift would alert on for ever through the row's own statistic.
      double relative = spec.baseline() / Math.max(baseline, Double.MIN_NORMAL);
      watched = smoothed * relative;
      own = x * relative;
      baseline = baseline + adaptRate * (Math.min(smoothed, CAP) - baseline);
    }

    double tail = 1 - average.calibrate(watched);
    if (spike != null) {
      Calibration spikeMap = spike.calibration();
      tail /= 1 - SPIKE_SHARE;
      // Below the spike calibration's tail a row's own tail probability is at least tailMass, so
      // the spike channel cannot be the smaller one unless the average's is above tailMass / share:
      // exact, and it spares most rows a second lookup.
      if (own >= spikeMap.tailStart() || tail > spikeMap.tailMass() / SPIKE_SHARE) {
        tail = Math.min(tail, (1 - spike.calibrate(own)) / SPIKE_SHARE);
      }
      tail = Math.min(1, tail);
    }
    int flatAfter = spec.flatlineAfter();
    if (flatAfter > 0 && flatRun >= flatAfter) {
      // A stuck input: as rare as the target allows at the first alerting repeat, ten times rarer
      // for every tenfold longer run (severity 1 + 25 log10((repeats + 1) / flatlineAfter)).
      tail = Math.min(tail, targetFar() * flatAfter / (flatRun + 1.0));
    }
    double score = Math.min(1 - tail, Calibration.MAX_SCORE);
    boolean above = score >= threshold;
    int run = above ? Math.min(s.run() + 1, persistence) : 0;
    boolean anomalous = run >= persistence;
    int severity = Severity.of(anomalous, 1 - score, targetFar());

    AlertEvent event = AlertEvent.NONE;
    boolean inEpisode = s.inEpisode();
    long episodeStart = s.episodeStart();
    long lastAlert = s.lastAlert();
    int normalRun = s.normalRun();
    int peak = s.peakSeverity();
    if (anomalous) {
      normalRun = 0;
      if (!inEpisode) {
        event = AlertEvent.OPEN;
        inEpisode = true;
        episodeStart = eventTime;
        lastAlert = eventTime;
        peak = severity;
      } else {
        peak = Math.max(peak, severity);
        if (eventTime - lastAlert >= coolDownMillis) {
          event = AlertEvent.REPEAT;
          lastAlert = eventTime;
        }
      }
    } else if (inEpisode && ++normalRun >= spec.resolveAfter()) {
      event = AlertEvent.RESOLVE;
      inEpisode = false;
      normalRun = 0;
    }
    Decision d =
        new Decision(
            x,
            watched,
            score,
            anomalous,
            severity,
            event,
            inEpisode || event == AlertEvent.RESOLVE ? episodeStart : 0,
            inEpisode || event == AlertEvent.RESOLVE ? peak : 0);
    DetectorState next =
        new DetectorState(
            s.rows() + 1,
            smoothed,
            baseline,
            run,
            normalRun,
            inEpisode,
            inEpisode ? episodeStart : 0,
            lastAlert,
            inEpisode ? peak : 0,
            inputs,
            flatRun);
    return new Step(next, d);
  }
}
