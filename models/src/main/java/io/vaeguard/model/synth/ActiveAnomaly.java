package io.vaeguard.model.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An anomaly in progress on one entity: what it changes and for how many more steps. It edits the
 * standardised values of a step after the clean signal has been computed, and never the signal's
 * state, so the clean signal after the span is the same as if it had never happened.
 */
final class ActiveAnomaly {

  private static final Channel[] CHANNELS = Channel.values();

  private final AnomalyKind kind;
  private final int[] channels;
  private final int steps;
  private final double[] size;
  private final Random rng;
  private double independent;
  private int elapsed;

  private ActiveAnomaly(AnomalyKind kind, int[] channels, int steps, double[] size, Random rng) {
    this.kind = kind;
    this.channels = channels;
    this.steps = steps;
    this.size = size;
    this.rng = rng;
    this.independent = rng.nextGaussian();
  }

  /** Draws channels, length and size of a new anomaly of {@code kind} from {@code rng}. */
  static ActiveAnomaly draw(AnomalyKind kind, GeneratorConfig config, Random rng) {
    int[] channels =
        switch (kind) {
          case SPIKE -> distinctChannels(1 + rng.nextInt(2), rng);
          case CORRELATION_BREAK -> {
            List<Integer> coupled = new ArrayList<>();
            for (Channel ch : CHANNELS) {
              if (ch.isCoupled()) {
                coupled.add(ch.ordinal());
              }
            }
            yield new int[] {coupled.get(rng.nextInt(coupled.size()))};
          }
          default -> new int[] {rng.nextInt(CHANNELS.length)};
        };
    int steps =
        kind == AnomalyKind.SPIKE
            ? 1 + rng.nextInt(3)
            : config.minAnomalySteps()
                + rng.nextInt(config.maxAnomalySteps() - config.minAnomalySteps() + 1);
    double[] size = new double[channels.length];
    for (int i = 0; i < size.length; i++) {
      double sign = rng.nextBoolean() ? 1 : -1;
      size[i] =
          sign
              * switch (kind) {
                case SPIKE -> 5 + 3 * rng.nextDouble();
                case LEVEL_SHIFT -> 3 + 2 * rng.nextDouble();
                case DRIFT -> 4 + 4 * rng.nextDouble();
                case STUCK, CORRELATION_BREAK -> 0;
              };
    }
    return new ActiveAnomaly(kind, channels, steps, size, rng);
  }

  private static int[] distinctChannels(int n, Random rng) {
    int first = rng.nextInt(CHANNELS.length);
    if (n == 1) {
      return new int[] {first};
    }
    int second = (first + 1 + rng.nextInt(CHANNELS.length - 1)) % CHANNELS.length;
    return new int[] {Math.min(first, second), Math.max(first, second)};
  }

  AnomalyKind kind() {
    return kind;
  }

  int steps() {
    return steps;
  }

  List<Channel> channels() {
    List<Channel> list = new ArrayList<>();
    for (int c : channels) {
      list.add(CHANNELS[c]);
    }
    return list;
  }

  /**
   * Applies this anomaly to one step's standardised values {@code s} and counts the step.
   *
   * @param noisePart this step's own noise per channel (a broken channel keeps its noise)
   * @param lastEmitted the values emitted at the previous step (what a stuck channel repeats)
   */
  void apply(double[] s, double[] noisePart, double[] lastEmitted, EntitySignal signal) {
    for (int i = 0; i < channels.length; i++) {
      int c = channels[i];
      switch (kind) {
        case SPIKE, LEVEL_SHIFT -> s[c] += size[i];
        case DRIFT -> s[c] += size[i] * (elapsed + 1) / steps;
        case STUCK -> s[c] = lastEmitted[c];
        case CORRELATION_BREAK -> {
          // same variance as the factor-driven part it replaces, but independent of every factor
          independent = LatentFactors.imitate(independent, rng);
          s[c] = signal.latentStd(c) * independent + noisePart[c];
        }
      }
    }
    elapsed++;
  }

  boolean isOver() {
    return elapsed >= steps;
  }
}
