package io.vaeguard.model.scorer;

import io.vaeguard.model.calibration.Calibration;
import io.vaeguard.model.card.ModelCard;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scores of one batch (docs/ARCHITECTURE.md, section 2). Owned and reused by its {@link
 * VaeScorer}: <b>valid only until the scorer's next call</b>; copy what must live longer. Not
 * thread-safe.
 *
 * <p>Feature shares are worked out on first use per row, from the scorer's input and output
 * buffers: a streaming job asks for them only for the few rows that alert.
 *
 * <p>E and KL normally come from the model's graph itself, which the scorer extends with the two
 * reductions ({@link ScoreGraph}; float32, vectorised by ONNX Runtime); where that is not possible
 * they are worked out here in doubles. Either way the arithmetic is the one below.
 *
 * <p>Per row, on the normalised input x and the model's outputs:
 *
 * <ul>
 *   <li>{@code e_j = (x_j - recon_j)^2}, reconstruction error {@code E = mean_j e_j};
 *   <li>{@code KL = -0.5 * sum_k (1 + logvar_k - mu_k^2 - exp(logvar_k))};
 *   <li>raw score {@code E + klWeight * KL} (klWeight from the card; 0 means E alone);
 *   <li>score = the card's calibration of the raw score, in [0, 1); severity = round(100 score);
 *       alert when score >= the card's threshold;
 *   <li>each feature's share of the error: the e_j of that feature over all window positions, over
 *       the sum of all e_j; shares sum to 1, and a perfect reconstruction shares equally.
 * </ul>
 */
public final class ScoreBatch {

  private final List<String> features;
  private final Map<String, Integer> featureIndex = new HashMap<>();
  private final int[] featureOf; // input column -> feature
  private final int numFeatures;
  private final int inputDim;
  private final int latentDim;
  private final double klWeight;
  private final Calibration calibration;
  private final double threshold;
  private final io.vaeguard.model.detect.DetectorSpec detector;
  private final double[] featureErrorRow; // scratch: one row's per-feature errors

  private int size;
  private double[] reconError = new double[0];
  private double[] kl = new double[0];
  private double[] raw = new double[0];
  private double[] statistic = new double[0];
  private double[] score = new double[0];
  private int[] severity = new int[0];
  private boolean[] alert = new boolean[0];
  // The row's own calibrated score is worked out on first use: the job decides with the detector
  // and never asks for it (a binary search per row, 2% of the job's task thread).
  private boolean[] ownScoreReady = new boolean[0];
  private double[] shares = new double[0]; // [row][feature], filled on first use per row
  private boolean[] sharesReady = new boolean[0];
  private float[] xnorm; // the scorer's input and recon of the last compute, for the shares
  private FloatBuffer recon;
  private float[] heapArray; // the array behind heapView
  private FloatBuffer heapView;

  ScoreBatch(ModelCard card) {
    this.features = card.features();
    this.numFeatures = features.size();
    this.inputDim = card.inputDim();
    this.latentDim = card.latentDim();
    this.klWeight = card.klWeight();
    this.calibration = card.calibration();
    this.threshold = card.threshold();
    this.detector = io.vaeguard.model.detect.Detector.specOf(card);
    this.featureErrorRow = new double[numFeatures];
    this.featureOf = new int[inputDim];
    for (int c = 0; c < inputDim; c++) {
      featureOf[c] = c % numFeatures; // a window is W rows of F features, oldest first
    }
    for (int f = 0; f < numFeatures; f++) {
      featureIndex.put(features.get(f), f);
    }
  }

  void ensureCapacity(int rows) {
    if (rows <= reconError.length) {
      return;
    }
    reconError = new double[rows];
    kl = new double[rows];
    raw = new double[rows];
    statistic = new double[rows];
    score = new double[rows];
    severity = new int[rows];
    alert = new boolean[rows];
    ownScoreReady = new boolean[rows];
    shares = new double[rows * numFeatures];
    sharesReady = new boolean[rows];
  }

  /**
   * Scores {@code n} rows from the normalised inputs and the model outputs (row-major), working out
   * E and KL here, in doubles: the scorer's fallback when its graph does not compute them.
   */
  void compute(int n, float[] xnorm, float[] recon, float[] mu, float[] logvar) {
    start(n, xnorm, heapView(recon));
    for (int r = 0; r < n; r++) {
      int xb = r * inputDim;
      double sum = 0;
      for (int c = 0; c < inputDim; c++) {
        double diff = (double) xnorm[xb + c] - recon[xb + c];
        sum += diff * diff;
      }
      double klSum = 0;
      int lb = r * latentDim;
      for (int k = 0; k < latentDim; k++) {
        double m = mu[lb + k];
        double lv = logvar[lb + k];
        klSum += 1 + lv - m * m - Math.exp(lv);
      }
      finish(r, sum / inputDim, -0.5 * klSum);
    }
  }

  /**
   * Scores {@code n} rows whose sums for E and KL the model's graph has worked out (see {@link
   * ScoreGraph}): {@code sqsum} and {@code klsum} hold one float a row. Where float32 overflowed
   * (exp(logvar) beyond 3.4e38 from logvar 88.7 on, or squares of differences beyond 1.8e19, rows
   * far out of anything seen in training) the row is worked out again in doubles from {@code
   * recon}, {@code mu} and {@code logvar}, as {@link #compute(int, float[], float[], float[],
   * float[])} would. Otherwise {@code recon} is read only for the feature shares of the rows asked
   * about; like {@code xnorm} the buffers must stay untouched until the scorer's next call.
   */
  void computeFromGraph(
      int n,
      float[] xnorm,
      FloatBuffer recon,
      FloatBuffer mu,
      FloatBuffer logvar,
      FloatBuffer sqsum,
      FloatBuffer klsum) {
    start(n, xnorm, recon);
    for (int r = 0; r < n; r++) {
      float sq = sqsum.get(r);
      float ks = klsum.get(r);
      finish(
          r,
          Float.isFinite(sq) ? ScoreGraph.reconstructionError(sq, inputDim) : reconErrorOf(r),
          Float.isFinite(ks) ? ScoreGraph.kl(ks, latentDim) : klOf(r, mu, logvar));
    }
  }

  /** E of one row in doubles, from the input and recon of the last compute. */
  private double reconErrorOf(int row) {
    int xb = row * inputDim;
    double sum = 0;
    for (int c = 0; c < inputDim; c++) {
      double diff = (double) xnorm[xb + c] - recon.get(xb + c);
      sum += diff * diff;
    }
    return sum / inputDim;
  }

  /** KL of one row in doubles. */
  private double klOf(int row, FloatBuffer mu, FloatBuffer logvar) {
    int lb = row * latentDim;
    double klSum = 0;
    for (int k = 0; k < latentDim; k++) {
      double m = mu.get(lb + k);
      double lv = logvar.get(lb + k);
      klSum += 1 + lv - m * m - Math.exp(lv);
    }
    return -0.5 * klSum;
  }

  private void start(int n, float[] xnorm, FloatBuffer recon) {
    ensureCapacity(n);
    size = n;
    this.xnorm = xnorm;
    this.recon = recon;
    Arrays.fill(sharesReady, 0, n, false);
    Arrays.fill(ownScoreReady, 0, n, false);
  }

  /** raw score and statistic of row {@code r} from its E and KL. */
  private void finish(int r, double e, double k) {
    // klWeight 0 means E alone, even where KL overflows to infinity (0 * infinity would be NaN)
    double rs = klWeight == 0 ? e : e + klWeight * k;
    reconError[r] = e;
    kl[r] = k;
    raw[r] = rs;
    double st = rs;
    if (detector.statistic().standardised()) {
      int sb = sharesOf(r);
      for (int f = 0; f < numFeatures; f++) {
        featureErrorRow[f] = shares[sb + f] * e;
      }
      st = io.vaeguard.model.detect.StatisticFunction.of(detector, featureErrorRow, 0, rs);
    }
    statistic[r] = st;
  }

  /** The row's own score, severity and alert, from its statistic, once. */
  private int ownScored(int r) {
    if (!ownScoreReady[r]) {
      double s = calibration.calibrate(statistic[r]);
      score[r] = s;
      severity[r] = (int) Math.round(100 * s);
      alert[r] = s >= threshold;
      ownScoreReady[r] = true;
    }
    return r;
  }

  /** A buffer view of {@code recon}, made once per array (the scorer reuses its arrays). */
  private FloatBuffer heapView(float[] recon) {
    if (recon != heapArray) {
      heapArray = recon;
      heapView = FloatBuffer.wrap(recon);
    }
    return heapView;
  }

  /** Fills one row's shares: the same arithmetic as E, per feature, over the row's sum. */
  private int sharesOf(int row) {
    int sb = row * numFeatures;
    if (sharesReady[row]) {
      return sb;
    }
    for (int f = 0; f < numFeatures; f++) {
      shares[sb + f] = 0;
    }
    int xb = row * inputDim;
    double sum = 0;
    for (int c = 0; c < inputDim; c++) {
      double diff = (double) xnorm[xb + c] - recon.get(xb + c);
      double e = diff * diff;
      sum += e;
      shares[sb + featureOf[c]] += e;
    }
    if (sum > 0) {
      double inv = 1 / sum; // one division per row, not one per feature
      for (int f = 0; f < numFeatures; f++) {
        shares[sb + f] *= inv;
      }
    } else {
      for (int f = 0; f < numFeatures; f++) {
        shares[sb + f] = 1.0 / numFeatures; // a perfect reconstruction shares equally
      }
    }
    sharesReady[row] = true;
    return sb;
  }

  public int size() {
    return size;
  }

  /** E: mean squared error over the row's D normalised inputs. */
  public double reconstructionError(int row) {
    return reconError[check(row)];
  }

  public double kl(int row) {
    return kl[check(row)];
  }

  /** E + klWeight * KL. */
  public double rawScore(int row) {
    return raw[check(row)];
  }

  /**
   * The row's detector statistic (the card's {@code detector.statistic}): what the detector smooths
   * and calibrates. The raw score for cards without a detector section.
   */
  public double statistic(int row) {
    return statistic[check(row)];
  }

  /**
   * The row's own statistic, calibrated, before smoothing: a per-row view. The decision and the
   * score people see come from the detector ({@code io.vaeguard.model.detect.Detector}).
   */
  public double score(int row) {
    return score[ownScored(check(row))];
  }

  /** round(100 * score), 0..100. */
  public int severity(int row) {
    return severity[ownScored(check(row))];
  }

  /** score >= the card's threshold. */
  public boolean alert(int row) {
    return alert[ownScored(check(row))];
  }

  /** Share of E due to feature {@code feature} (index in the card's feature list). */
  public double share(int row, int feature) {
    Objects.checkIndex(feature, numFeatures);
    return shares[sharesOf(check(row)) + feature];
  }

  public double share(int row, String feature) {
    Integer f = featureIndex.get(feature);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown feature '" + feature + "', the model has " + features);
    }
    return share(row, f);
  }

  /** The part of E due to one feature; over all features these sum to E. */
  public double featureError(int row, int feature) {
    return share(row, feature) * reconError[row];
  }

  /** The {@code k} features with the largest shares, largest first (ties in card order). */
  public List<FeatureContribution> topFeatures(int row, int k) {
    int[] top = new int[Math.min(Math.max(k, 0), numFeatures)];
    int m = topFeatureIndices(row, top);
    List<FeatureContribution> out = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      out.add(new FeatureContribution(features.get(top[i]), share(row, top[i])));
    }
    return out;
  }

  /**
   * The allocation-free form of {@link #topFeatures}: writes the indices (in {@link #features()})
   * of the {@code min(into.length, features)} largest shares into {@code into}, largest first, ties
   * in card order, and returns how many it wrote.
   */
  public int topFeatureIndices(int row, int[] into) {
    check(row);
    int m = Math.min(into.length, numFeatures);
    if (m == 0) {
      return 0;
    }
    int base = sharesOf(row);
    // One pass, inserting each feature into the sorted top m: the job ranks every row. Strictly
    // greater moves a feature up, so ties keep card order.
    int filled = 0;
    for (int f = 0; f < numFeatures; f++) {
      double v = shares[base + f];
      if (filled == m && !(v > shares[base + into[m - 1]])) {
        continue;
      }
      int pos = filled < m ? filled++ : m - 1;
      while (pos > 0 && v > shares[base + into[pos - 1]]) {
        into[pos] = into[pos - 1];
        pos--;
      }
      into[pos] = f;
    }
    return m;
  }

  public List<String> features() {
    return features;
  }

  private int check(int row) {
    return Objects.checkIndex(row, size);
  }
}
