package io.vaeguard.model.detect;

/**
 * Works out a row's statistic from its per-feature reconstruction errors: the one definition used
 * when a model is fitted and when it scores, offline and in the job.
 */
public final class StatisticFunction {

  private StatisticFunction() {}

  /**
   * @param spec the card's detector section
   * @param featureErrors per feature (card order): its part of the reconstruction error E (they sum
   *     to E); read only for standardised statistics
   * @param rawScore the raw score, for {@link Statistic#RAW}
   */
  public static double of(DetectorSpec spec, double[] featureErrors, int offset, double rawScore) {
    Statistic st = spec.statistic();
    if (st == Statistic.RAW) {
      return rawScore;
    }
    int f = spec.features();
    double max = 0;
    double sum = 0;
    for (int j = 0; j < f; j++) {
      double z = featureErrors[offset + j] / spec.errorScale(j);
      sum += z;
      if (z > max || Double.isNaN(z)) {
        max = z;
      }
    }
    return st == Statistic.MAX_STANDARDISED ? max : sum / f;
  }
}
