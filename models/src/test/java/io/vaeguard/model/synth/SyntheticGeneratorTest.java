package io.vaeguard.model.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {

  private static final int P = Channel.PRESSURE.ordinal();
  private static final int F = Channel.FLOW.ordinal();

  /** steps rounds of next(): entity-major per step, so row i*entities+e is entity e at step i. */
  private static List<Reading> run(GeneratorConfig config, int steps) {
    SyntheticGenerator gen = new SyntheticGenerator(config);
    List<Reading> out = new ArrayList<>();
    for (int i = 0; i < steps * config.entities(); i++) {
      out.add(gen.next());
    }
    return out;
  }

  @Test
  void sameSeedGivesIdenticalReadingsAndSpans() {
    GeneratorConfig config = GeneratorConfig.builder().entities(4).seed(7).anomalyRate(0.1).build();
    SyntheticGenerator a = new SyntheticGenerator(config);
    SyntheticGenerator b = new SyntheticGenerator(config);
    for (int i = 0; i < 8000; i++) {
      assertThat(a.next()).isEqualTo(b.next());
    }
    assertThat(a.anomalySpans()).isNotEmpty().isEqualTo(b.anomalySpans());

    List<Reading> other = run(config.toBuilder().seed(8).build(), 10);
    assertThat(other).isNotEqualTo(run(config, 10));
  }

  @Test
  void entityStreamDoesNotDependOnCallOrder() {
    GeneratorConfig config = GeneratorConfig.builder().entities(5).anomalyRate(0.1).build();
    List<Reading> roundRobin = run(config, 300);
    SyntheticGenerator alone = new SyntheticGenerator(config);
    for (int i = 0; i < 300; i++) {
      assertThat(alone.next(3)).isEqualTo(roundRobin.get(i * 5 + 3));
    }
  }

  @Test
  void readingsHaveIdsTimesAndChannels() {
    GeneratorConfig config =
        GeneratorConfig.builder().entities(3).stepMillis(500).startMillis(1000).build();
    List<Reading> readings = run(config, 2);
    assertThat(readings)
        .extracting(Reading::entityId)
        .containsExactly(
            "entity-000", "entity-001", "entity-002", "entity-000", "entity-001", "entity-002");
    assertThat(readings)
        .extracting(Reading::eventTimeMillis)
        .containsExactly(1000L, 1000L, 1000L, 1500L, 1500L, 1500L);
    assertThat(readings.get(0).values()).hasSize(8);
    assertThat(SyntheticGenerator.channelNames())
        .containsExactly(
            "temperature",
            "pressure",
            "flow",
            "vibration",
            "current",
            "voltage",
            "rpm",
            "humidity");
    assertThat(readings.get(0).features()).containsOnlyKeys(SyntheticGenerator.channelNames());
    assertThat(readings).allMatch(r -> r.anomaly() == null);
  }

  @Test
  void everyLabelLiesInExactlyOneSpanOfTheSameKind() {
    GeneratorConfig config = GeneratorConfig.builder().entities(6).anomalyRate(0.15).build();
    SyntheticGenerator gen = new SyntheticGenerator(config);
    List<Reading> readings = new ArrayList<>();
    for (int i = 0; i < 6 * 3000; i++) {
      readings.add(gen.next());
    }
    List<AnomalySpan> spans = gen.anomalySpans();
    assertThat(spans.stream().map(AnomalySpan::kind).distinct())
        .hasSize(AnomalyKind.values().length);
    long labelled = 0;
    for (Reading r : readings) {
      List<AnomalySpan> covering =
          spans.stream().filter(s -> s.contains(r.entityId(), r.eventTimeMillis())).toList();
      assertThat(covering).as("spans covering %s", r).hasSizeLessThanOrEqualTo(1);
      assertThat(covering.isEmpty() ? null : covering.get(0).kind())
          .as("label of %s", r)
          .isEqualTo(r.anomaly());
      labelled += r.isAnomalous() ? 1 : 0;
    }
    long last = readings.get(readings.size() - 1).eventTimeMillis();
    long spanned =
        spans.stream()
            .map(s -> s.clippedTo(last))
            .mapToLong(s -> (s.endMillis() - s.startMillis()) / config.stepMillis() + 1)
            .sum();
    assertThat(spanned).isEqualTo(labelled);
  }

  @Test
  void anomaliesChangeExactlyTheLabelledReadings() {
    GeneratorConfig clean = GeneratorConfig.builder().entities(4).seed(3).build();
    List<Reading> base = run(clean, 3000);
    List<Reading> dirty = run(clean.toBuilder().anomalyRate(0.2).build(), 3000);
    for (int i = 0; i < base.size(); i++) {
      boolean changed = !java.util.Arrays.equals(base.get(i).values(), dirty.get(i).values());
      assertThat(changed)
          .as("reading %s changed", dirty.get(i))
          .isEqualTo(dirty.get(i).isAnomalous());
    }
  }

  @Test
  void anomalousFractionIsNearTheConfiguredRate() {
    for (double rate : new double[] {0.01, 0.05, 0.2}) {
      assertThat(fraction(GeneratorConfig.builder().entities(20).anomalyRate(rate).build(), 10_000))
          .as("fraction at rate %s", rate)
          .isBetween(rate * 0.85, rate * 1.15);
    }
    GeneratorConfig spikes =
        GeneratorConfig.builder().entities(20).anomalyRate(0.03).kinds(AnomalyKind.SPIKE).build();
    assertThat(fraction(spikes, 10_000)).isBetween(0.03 * 0.9, 0.03 * 1.1);
    assertThat(fraction(GeneratorConfig.builder().entities(5).build(), 2000)).isZero();
  }

  private static double fraction(GeneratorConfig config, int steps) {
    return run(config, steps).stream().filter(Reading::isAnomalous).count()
        / (double) (steps * config.entities());
  }

  @Test
  void coupledChannelsCorrelateInCleanData() {
    GeneratorConfig config = GeneratorConfig.builder().entities(10).build();
    List<Reading> readings = run(config, 5000);
    EntityStats stats = EntityStats.of(readings, config.entities());
    assertThat(stats.pooledCorrelation(readings, P, F)).isGreaterThan(0.8);
    assertThat(stats.pooledCorrelation(readings, Channel.CURRENT.ordinal(), Channel.RPM.ordinal()))
        .isGreaterThan(0.7);
    assertThat(
            stats.pooledCorrelation(
                readings, Channel.TEMPERATURE.ordinal(), Channel.HUMIDITY.ordinal()))
        .isLessThan(-0.4);
    assertThat(Math.abs(stats.pooledCorrelation(readings, Channel.VOLTAGE.ordinal(), F)))
        .isLessThan(0.2);
  }

  @Test
  void correlationBreakDecouplesTheChannelFromItsPartner() {
    GeneratorConfig clean = GeneratorConfig.builder().entities(20).seed(11).build();
    GeneratorConfig breaks =
        clean.toBuilder().anomalyRate(0.2).kinds(AnomalyKind.CORRELATION_BREAK).build();
    List<Reading> base = run(clean, 4000);
    SyntheticGenerator gen = new SyntheticGenerator(breaks);
    List<Reading> dirty = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      dirty.add(gen.next());
    }
    EntityStats stats = EntityStats.of(base, clean.entities());
    // pair each broken pressure or flow reading with its partner, in both the clean and the broken
    // run
    List<double[]> cleanPairs = new ArrayList<>();
    List<double[]> brokenPairs = new ArrayList<>();
    for (int i = 0; i < dirty.size(); i++) {
      Reading r = dirty.get(i);
      AnomalySpan span = spanAt(gen.anomalySpans(), r);
      if (span == null
          || !(span.channels().contains(Channel.PRESSURE)
              || span.channels().contains(Channel.FLOW))) {
        continue;
      }
      cleanPairs.add(new double[] {stats.z(base.get(i), P), stats.z(base.get(i), F)});
      brokenPairs.add(new double[] {stats.z(r, P), stats.z(r, F)});
    }
    assertThat(brokenPairs).hasSizeGreaterThan(2000);
    assertThat(EntityStats.correlation(cleanPairs)).isGreaterThan(0.8);
    assertThat(Math.abs(EntityStats.correlation(brokenPairs))).isLessThan(0.3);
  }

  @Test
  void spikesAreSeveralSigmaOffTheCleanSignal() {
    // one-minute steps: 3000 steps span two days, so the sample std is the std over a day that
    // spikes are sized in (a short run of 1 s steps sees only a slice of the daily swing)
    GeneratorConfig clean =
        GeneratorConfig.builder().entities(10).seed(5).stepMillis(60_000).build();
    GeneratorConfig spiky = clean.toBuilder().anomalyRate(0.05).kinds(AnomalyKind.SPIKE).build();
    List<Reading> base = run(clean, 3000);
    SyntheticGenerator gen = new SyntheticGenerator(spiky);
    EntityStats stats = EntityStats.of(base, clean.entities());
    int spikes = 0;
    int farFromMean = 0;
    for (Reading b : base) {
      Reading r = gen.next();
      if (!r.isAnomalous()) {
        continue;
      }
      for (Channel ch : spanAt(gen.anomalySpans(), r).channels()) {
        int c = ch.ordinal();
        // 5-8 entity sigma, and an entity's sigma is within 15% of the channel's unitStd
        double jump = (r.values()[c] - b.values()[c]) / ch.unitStd();
        assertThat(Math.abs(jump)).as("spike on %s of %s", ch, r).isBetween(5 * 0.85, 8 * 1.15);
        farFromMean += Math.abs(stats.z(r, c)) > 3 ? 1 : 0;
        spikes++;
      }
    }
    assertThat(spikes).isGreaterThan(100);
    assertThat(farFromMean).isGreaterThan((int) (0.9 * spikes));
  }

  @Test
  void stuckChannelRepeatsTheValueBeforeTheSpan() {
    GeneratorConfig config =
        GeneratorConfig.builder().entities(1).anomalyRate(0.2).kinds(AnomalyKind.STUCK).build();
    SyntheticGenerator gen = new SyntheticGenerator(config);
    List<Reading> readings = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      readings.add(gen.next());
    }
    List<AnomalySpan> spans = gen.anomalySpans();
    assertThat(spans).hasSizeGreaterThan(5);
    for (AnomalySpan span : spans.subList(0, spans.size() - 1)) {
      int c = span.channels().get(0).ordinal();
      int first = (int) ((span.startMillis() - config.startMillis()) / config.stepMillis());
      int last = (int) ((span.endMillis() - config.startMillis()) / config.stepMillis());
      double frozen = readings.get(first - 1).values()[c];
      for (int i = first; i <= last; i++) {
        assertThat(readings.get(i).values()[c]).isEqualTo(frozen);
      }
      // the others keep moving
      int other = (c + 1) % Channel.count();
      assertThat(readings.get(last).values()[other])
          .isNotEqualTo(readings.get(first).values()[other]);
    }
  }

  @Test
  void dailyPatternFollowsEventTime() {
    // one-minute steps, 4 days: temperature averaged by hour of day should swing by over a sigma
    GeneratorConfig config = GeneratorConfig.builder().entities(1).stepMillis(60_000).build();
    List<Reading> readings = run(config, 4 * 1440);
    double[] sum = new double[24];
    int[] n = new int[24];
    for (Reading r : readings) {
      int hour = (int) ((r.eventTimeMillis() / 3_600_000L) % 24);
      sum[hour] += r.values()[Channel.TEMPERATURE.ordinal()];
      n[hour]++;
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int h = 0; h < 24; h++) {
      min = Math.min(min, sum[h] / n[h]);
      max = Math.max(max, sum[h] / n[h]);
    }
    assertThat(max - min).isGreaterThan(Channel.TEMPERATURE.unitStd());
  }

  @Test
  void configRejectsNonsenseWithTheFix() {
    assertThatThrownBy(() -> GeneratorConfig.builder().anomalyRate(0.9))
        .hasMessageContaining("[0, 0.5]");
    assertThatThrownBy(() -> GeneratorConfig.builder().kinds(EnumSet.noneOf(AnomalyKind.class)))
        .hasMessageContaining("anomalyRate(0)");
    assertThatThrownBy(() -> GeneratorConfig.builder().anomalySteps(10, 5))
        .hasMessageContaining("min <= max");
    assertThatThrownBy(
            () -> new SyntheticGenerator(GeneratorConfig.builder().entities(2).build()).next(2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static AnomalySpan spanAt(List<AnomalySpan> spans, Reading r) {
    // the newest span is the only one that can cover the newest reading; search backwards
    for (int i = spans.size() - 1; i >= 0; i--) {
      if (spans.get(i).contains(r.entityId(), r.eventTimeMillis())) {
        return spans.get(i);
      }
    }
    return null;
  }

  /** Per-entity mean and std of every channel, to standardise readings entity by entity. */
  private static final class EntityStats {
    final double[][] mean;
    final double[][] std;

    private EntityStats(double[][] mean, double[][] std) {
      this.mean = mean;
      this.std = std;
    }

    static EntityStats of(List<Reading> readings, int entities) {
      int d = Channel.count();
      double[][] sum = new double[entities][d];
      double[][] sq = new double[entities][d];
      int[] n = new int[entities];
      for (Reading r : readings) {
        n[r.entityIndex()]++;
        for (int c = 0; c < d; c++) {
          sum[r.entityIndex()][c] += r.values()[c];
          sq[r.entityIndex()][c] += r.values()[c] * r.values()[c];
        }
      }
      double[][] mean = new double[entities][d];
      double[][] std = new double[entities][d];
      for (int e = 0; e < entities; e++) {
        for (int c = 0; c < d; c++) {
          mean[e][c] = sum[e][c] / n[e];
          std[e][c] = Math.sqrt(sq[e][c] / n[e] - mean[e][c] * mean[e][c]);
        }
      }
      return new EntityStats(mean, std);
    }

    double z(Reading r, int c) {
      return (r.values()[c] - mean[r.entityIndex()][c]) / std[r.entityIndex()][c];
    }

    double pooledCorrelation(List<Reading> readings, int a, int b) {
      return correlation(readings.stream().map(r -> new double[] {z(r, a), z(r, b)}).toList());
    }

    static double correlation(List<double[]> pairs) {
      double sa = 0;
      double sb = 0;
      double saa = 0;
      double sbb = 0;
      double sab = 0;
      for (double[] p : pairs) {
        sa += p[0];
        sb += p[1];
        saa += p[0] * p[0];
        sbb += p[1] * p[1];
        sab += p[0] * p[1];
      }
      int n = pairs.size();
      double cov = sab / n - sa / n * sb / n;
      return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }
  }
}
