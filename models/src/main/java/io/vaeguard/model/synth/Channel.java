package io.vaeguard.model.synth;

import java.util.Arrays;
import java.util.List;

/**
 * The eight sensor channels every synthetic entity has, in column order.
 *
 * <p>Each channel is driven by three shared latent factors plus its own white noise:
 *
 * <ul>
 *   <li>{@code LOAD}: how hard the machine works; couples pressure, flow, current, rpm (and, more
 *       loosely, vibration and temperature)
 *   <li>{@code AMBIENT}: the surroundings; couples temperature and humidity (negatively)
 *   <li>{@code SUPPLY}: the mains; drives voltage and (weakly, negatively) current
 * </ul>
 *
 * <p>The loadings and noise below are in units of the channel's own standard deviation before
 * normalisation; {@link EntitySignal} rescales every channel to unit variance, so {@code unitStd}
 * alone sets how much a channel moves in physical units.
 */
public enum Channel {
  //      column         unit      nominal  unitStd  load   ambient supply  noise
  TEMPERATURE("temperature", "degC", 60.0, 4.0, 0.30, 0.90, 0.00, 0.30),
  PRESSURE("pressure", "bar", 5.0, 0.4, 0.90, 0.00, 0.00, 0.30),
  FLOW("flow", "l/min", 120.0, 10.0, 0.95, 0.00, 0.00, 0.25),
  VIBRATION("vibration", "mm/s", 2.5, 0.3, 0.60, 0.00, 0.00, 0.60),
  CURRENT("current", "A", 15.0, 1.5, 0.90, 0.00, -0.20, 0.30),
  VOLTAGE("voltage", "V", 230.0, 3.0, 0.00, 0.00, 0.90, 0.30),
  RPM("rpm", "1/min", 1500.0, 100.0, 0.95, 0.00, 0.00, 0.20),
  HUMIDITY("humidity", "%", 45.0, 6.0, 0.00, -0.80, 0.00, 0.30);

  /**
   * Loadings at or above this make a channel part of a coupled group (see {@link #isCoupled()}).
   */
  static final double COUPLING_LOADING = 0.8;

  private final String column;
  private final String unit;
  private final double nominal;
  private final double unitStd;
  private final double[] loadings;
  private final double noise;

  Channel(
      String column,
      String unit,
      double nominal,
      double unitStd,
      double load,
      double ambient,
      double supply,
      double noise) {
    this.column = column;
    this.unit = unit;
    this.nominal = nominal;
    this.unitStd = unitStd;
    this.loadings = new double[] {load, ambient, supply};
    this.noise = noise;
  }

  /** Column name used in CSV headers, Avro feature maps and model cards. */
  public String column() {
    return column;
  }

  public String unit() {
    return unit;
  }

  /** Population-average level in physical units; each entity's own level lies near it. */
  public double nominal() {
    return nominal;
  }

  /** Population-average standard deviation in physical units. */
  public double unitStd() {
    return unitStd;
  }

  /** Loading on latent factor {@code factor} ({@link LatentFactors#LOAD} and so on). */
  double loading(int factor) {
    return loadings[factor];
  }

  double noise() {
    return noise;
  }

  /** The factor this channel loads on most (by absolute value). */
  public int dominantFactor() {
    int best = 0;
    for (int k = 1; k < loadings.length; k++) {
      if (Math.abs(loadings[k]) > Math.abs(loadings[best])) {
        best = k;
      }
    }
    return best;
  }

  /**
   * Whether another channel shares this channel's dominant factor strongly, so that breaking the
   * coupling is visible: only such channels get a {@link AnomalyKind#CORRELATION_BREAK}.
   */
  public boolean isCoupled() {
    int f = dominantFactor();
    if (Math.abs(loading(f)) < COUPLING_LOADING) {
      return false;
    }
    for (Channel other : values()) {
      if (other != this && Math.abs(other.loading(f)) >= COUPLING_LOADING) {
        return true;
      }
    }
    return false;
  }

  /** Column names in channel order. */
  public static List<String> columns() {
    return Arrays.stream(values()).map(Channel::column).toList();
  }

  public static int count() {
    return values().length;
  }
}
