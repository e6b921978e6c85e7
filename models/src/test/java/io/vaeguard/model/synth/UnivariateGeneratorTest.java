package io.vaeguard.model.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnivariateGeneratorTest {

  private static final int WEEK = 7 * 1440;

  /** {@code steps} rounds of next(): row i * entities + e is entity e at step i. */
  private static List<UnivariateRow> run(UnivariateConfig config, int steps) {
    return run(new UnivariateGenerator(config), steps);
  }

  private static List<UnivariateRow> run(UnivariateGenerator gen, int steps) {
    List<UnivariateRow> out = new ArrayList<>(steps * gen.entities());
    for (int i = 0; i < steps * gen.entities(); i++) {
      out.add(gen.next());
    }
    return out;
  }

  /** One entity's values, in step order. */
  private static double[] series(List<UnivariateRow> rows, int entities, int entity) {
    double[] v = new double[rows.size() / entities];
    for (int i = 0; i < v.length; i++) {
      v[i] = rows.get(i * entities + entity).value();
    }
    return v;
  }

  @Test
  void sameSeedGivesIdenticalRowsAndSpans() {
    UnivariateConfig config =
        UnivariateConfig.builder().entities(3).seed(7).anomalyRate(0.05).build();
    UnivariateGenerator a = new UnivariateGenerator(config);
    UnivariateGenerator b = new UnivariateGenerator(config);
    List<UnivariateRow> ra = run(a, 5000);
    assertThat(run(b, 5000)).isEqualTo(ra);
    assertThat(a.spans()).isNotEmpty().isEqualTo(b.spans());
    assertThat(a.spans()).extracting(UnivariateSpan::kind).contains(UnivariateKind.LEVEL_SHIFT);

    List<UnivariateRow> other = run(config.toBuilder().seed(8).build(), 5000);
    assertThat(other).hasSameSizeAs(ra).isNotEqualTo(ra);
    assertThat(other.get(0).value()).isNotEqualTo(ra.get(0).value());
  }

  @Test
  void rowsHaveIdsTimesAndOneMinuteStepsByDefault() {
    UnivariateConfig config = UnivariateConfig.builder().entities(3).build();
    assertThat(config.stepMillis()).isEqualTo(60_000);
    assertThat(config.stepsPerDay()).isEqualTo(1440);
    List<UnivariateRow> rows = run(config, 2);
    assertThat(rows)
        .extracting(UnivariateRow::entity)
        .containsExactly(
            "entity-000", "entity-001", "entity-002", "entity-000", "entity-001", "entity-002");
    long t0 = UnivariateConfig.DEFAULT_START_MILLIS;
    assertThat(rows)
        .extracting(UnivariateRow::timestampMillis)
        .containsExactly(t0, t0, t0, t0 + 60_000, t0 + 60_000, t0 + 60_000);
    // step 0 is never a shift or an anomaly, so a CSV's first row has an empty kind
    assertThat(rows.subList(0, 3))
        .allMatch(r -> r.kind() == null && r.anomaly() == 0 && r.kindId().isEmpty());
  }

  @Test
  void entityStreamDoesNotDependOnCallOrder() {
    UnivariateConfig config =
        UnivariateConfig.builder().entities(4).anomalyRate(0.1).levelShiftsPerDay(20).build();
    List<UnivariateRow> roundRobin = run(config, 2000);
    UnivariateGenerator alone = new UnivariateGenerator(config);
    for (int i = 0; i < 2000; i++) {
      assertThat(alone.next(2)).isEqualTo(roundRobin.get(i * 4 + 2));
    }
  }

  @Test
  void labelsMarkExactlyTheAnomalySpansAndLevelShiftsAreLabelledZero() {
    UnivariateConfig config =
        UnivariateConfig.builder()
            .entities(6)
            .seed(11)
            .anomalyRate(0.05)
            .levelShiftsPerDay(2)
            .build();
    UnivariateGenerator gen = new UnivariateGenerator(config);
    int steps = 20_000;
    List<UnivariateRow> rows = run(gen, steps);
    long last = rows.get(rows.size() - 1).timestampMillis();
    List<UnivariateSpan> spans = gen.spans().stream().map(s -> s.clippedTo(last)).toList();
    List<UnivariateSpan> shifts =
        spans.stream().filter(s -> s.kind() == UnivariateKind.LEVEL_SHIFT).toList();
    List<UnivariateSpan> anomalies = spans.stream().filter(s -> s.kind().isAnomaly()).toList();
    assertThat(shifts)
        .hasSizeGreaterThan(50)
        .allMatch(s -> s.label() == 0 && s.startMillis() == s.endMillis());
    assertThat(anomalies).hasSizeGreaterThan(50).allMatch(s -> s.label() == 1);

    long anomalous = 0;
    long shiftRows = 0;
    for (UnivariateRow r : rows) {
      List<UnivariateSpan> covering =
          spans.stream().filter(s -> s.contains(r.entity(), r.timestampMillis())).toList();
      assertThat(covering).as("spans covering %s", r).hasSizeLessThanOrEqualTo(1);
      UnivariateKind expected = covering.isEmpty() ? null : covering.get(0).kind();
      assertThat(r.kind()).as("kind of %s", r).isEqualTo(expected);
      assertThat(r.anomaly())
          .as("label of %s", r)
          .isEqualTo(expected == null ? 0 : expected.label());
      anomalous += r.anomaly();
      shiftRows += r.kind() == UnivariateKind.LEVEL_SHIFT ? 1 : 0;
    }
    assertThat(shiftRows).isEqualTo(shifts.size());
    long spanned =
        anomalies.stream()
            .mapToLong(s -> (s.endMillis() - s.startMillis()) / config.stepMillis() + 1)
            .sum();
    assertThat(anomalous).isPositive().isEqualTo(spanned);

    // two anomaly spans of one entity never touch: at least one normal row lies between them
    for (int e = 0; e < 6; e++) {
      String id = gen.entityId(e);
      List<UnivariateSpan> mine = anomalies.stream().filter(s -> s.entity().equals(id)).toList();
      for (int i = 1; i < mine.size(); i++) {
        assertThat(mine.get(i).startMillis())
            .isGreaterThan(mine.get(i - 1).endMillis() + config.stepMillis());
      }
    }
  }

  @Test
  void levelShiftsAreLastingStepChangesOfAFewSigmaAtTheRateAsked() {
    UnivariateConfig clean =
        UnivariateConfig.builder().entities(20).seed(5).anomalyRate(0).levelShiftsPerDay(0).build();
    UnivariateConfig shifted = clean.toBuilder().levelShiftsPerDay(1.0 / 3).build();
    int days = 30;
    UnivariateGenerator gen = new UnivariateGenerator(shifted);
    List<UnivariateRow> base = run(clean, days * 1440);
    List<UnivariateRow> rows = run(gen, days * 1440);
    assertThat(rows).allMatch(r -> r.anomaly() == 0);

    int count = 0;
    for (int e = 0; e < 20; e++) {
      double sigma = gen.noiseSigma(e);
      double offset = 0;
      for (int i = 0; i < days * 1440; i++) {
        UnivariateRow r = rows.get(i * 20 + e);
        double diff = r.value() - base.get(i * 20 + e).value();
        if (r.kind() == UnivariateKind.LEVEL_SHIFT) {
          count++;
          assertThat(Math.abs(diff - offset))
              .as("jump at %s", r)
              .isBetween(3 * sigma - 2e-4, 5 * sigma + 2e-4);
          offset = diff;
        } else {
          // between shifts the difference to the unshifted series is constant (up to rounding)
          assertThat(diff)
              .as("offset at %s", r)
              .isCloseTo(offset, org.assertj.core.data.Offset.offset(2.5e-4));
        }
      }
    }
    // 20 entities x 30 days x 1/3 per day: 200 expected
    assertThat(count).isBetween(160, 240);
  }

  @Test
  void anomalousFractionIsNearTheAskedRate() {
    for (double rate : new double[] {0.01, 0.05}) {
      UnivariateConfig config =
          UnivariateConfig.builder().entities(100).seed(3).anomalyRate(rate).build();
      double tolerance = rate == 0.01 ? 0.25 : 0.12;
      assertThat(fraction(config, 2 * WEEK))
          .as("fraction at rate %s", rate)
          .isBetween(rate * (1 - tolerance), rate * (1 + tolerance));
    }
    UnivariateConfig spikes =
        UnivariateConfig.builder()
            .entities(20)
            .anomalyRate(0.02)
            .kinds(UnivariateKind.SPIKE)
            .build();
    assertThat(fraction(spikes, WEEK)).isBetween(0.02 * 0.9, 0.02 * 1.1);
    assertThat(fraction(UnivariateConfig.builder().entities(10).anomalyRate(0).build(), WEEK))
        .isZero();
  }

  private static double fraction(UnivariateConfig config, int steps) {
    UnivariateGenerator gen = new UnivariateGenerator(config);
    long anomalous = 0;
    long n = (long) steps * config.entities();
    for (long i = 0; i < n; i++) {
      anomalous += gen.next().anomaly();
    }
    return anomalous / (double) n;
  }

  @Test
  void everyKindAppearsInALongRunWithItsLengths() {
    UnivariateConfig config =
        UnivariateConfig.builder().entities(20).seed(2).anomalyRate(0.01).build();
    UnivariateGenerator gen = new UnivariateGenerator(config);
    run(gen, 2 * WEEK);
    Map<UnivariateKind, Integer> counts = new EnumMap<>(UnivariateKind.class);
    for (UnivariateSpan s : gen.spans()) {
      counts.merge(s.kind(), 1, Integer::sum);
      long steps = (s.endMillis() - s.startMillis()) / config.stepMillis() + 1;
      assertThat(steps)
          .as("length of %s", s)
          .isBetween((long) s.kind().minSteps(), (long) s.kind().maxSteps());
    }
    assertThat(counts.keySet()).containsExactlyInAnyOrder(UnivariateKind.values());
    for (UnivariateKind k : UnivariateKind.values()) {
      assertThat(counts.get(k)).as("spans of %s", k).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void anomaliesChangeOnlyTheirRowsAndEachKindDoesWhatItSays() {
    UnivariateConfig clean = UnivariateConfig.builder().entities(10).seed(9).anomalyRate(0).build();
    UnivariateConfig dirty = clean.toBuilder().anomalyRate(0.05).build();
    int steps = 2 * WEEK;
    List<UnivariateRow> base = run(clean, steps);
    UnivariateGenerator gen = new UnivariateGenerator(dirty);
    List<UnivariateRow> rows = run(gen, steps);
    Map<UnivariateKind, int[]> changed =
        new EnumMap<>(UnivariateKind.class); // {rows, rows changed}
    for (int i = 0; i < rows.size(); i++) {
      UnivariateRow r = rows.get(i);
      UnivariateRow b = base.get(i);
      double sigma = gen.noiseSigma(i % 10);
      assertThat(r.timestampMillis()).isEqualTo(b.timestampMillis());
      if (!r.isAnomalous()) {
        assertThat(r.value()).as("normal row %s", r).isEqualTo(b.value());
        continue;
      }
      double diff = r.value() - b.value();
      switch (r.kind()) {
        case SPIKE -> assertThat(diff).as("spike %s", r).isGreaterThan(5 * sigma);
        case DIP -> assertThat(diff).as("dip %s", r).isLessThan(-4 * sigma);
        case STUCK -> assertThat(r.value()).as("stuck %s", r).isEqualTo(rows.get(i - 10).value());
        default -> {}
      }
      int[] c = changed.computeIfAbsent(r.kind(), k -> new int[2]);
      c[0]++;
      c[1] += diff != 0 ? 1 : 0;
    }
    assertThat(changed.keySet()).containsExactlyInAnyOrderElementsOf(UnivariateKind.anomalies());
    changed.forEach(
        (k, c) ->
            assertThat(c[1])
                .as("rows of %s that differ from the clean run", k)
                .isGreaterThan((int) (0.9 * c[0])));
  }

  @Test
  void valuesAreFiniteAndPlausible() {
    UnivariateConfig config =
        UnivariateConfig.builder()
            .entities(8)
            .seed(4)
            .anomalyRate(0.2)
            .levelShiftsPerDay(5)
            .build();
    List<UnivariateRow> rows = run(config, 4 * WEEK);
    assertThat(rows).allMatch(r -> Double.isFinite(r.value()));
    // values carry 4 decimals at most
    assertThat(rows).allMatch(r -> Math.abs(r.value() * 1e4 - Math.rint(r.value() * 1e4)) < 1e-6);
    double[] v = series(rows, 8, 0);
    double min = java.util.Arrays.stream(v).min().orElseThrow();
    double max = java.util.Arrays.stream(v).max().orElseThrow();
    assertThat(max - min).isGreaterThan(1);
  }

  @Test
  void theDailyCycleIsVisible() {
    UnivariateConfig clean =
        UnivariateConfig.builder().entities(4).seed(1).anomalyRate(0).levelShiftsPerDay(0).build();
    List<UnivariateRow> rows = run(clean, 2 * WEEK);
    for (int e = 0; e < 4; e++) {
      double[] v = series(rows, 4, e);
      assertThat(autocorrelation(v, 1440)).as("acf at one day, entity %d", e).isGreaterThan(0.6);
      assertThat(autocorrelation(v, 720)).as("acf at half a day, entity %d", e).isLessThan(0);
    }
    // with the default level shifts it stays clearly positive
    List<UnivariateRow> shifted =
        run(clean.toBuilder().levelShiftsPerDay(1.0 / 3).build(), 2 * WEEK);
    for (int e = 0; e < 4; e++) {
      assertThat(autocorrelation(series(shifted, 4, e), 1440))
          .as("acf at one day, entity %d", e)
          .isGreaterThan(0.5);
    }
  }

  private static double autocorrelation(double[] v, int lag) {
    double mean = java.util.Arrays.stream(v).average().orElseThrow();
    double num = 0;
    double den = 0;
    for (int i = 0; i < v.length; i++) {
      den += (v[i] - mean) * (v[i] - mean);
      if (i + lag < v.length) {
        num += (v[i] - mean) * (v[i + lag] - mean);
      }
    }
    return num / den;
  }

  @Test
  void startProbabilityGivesTheRateAndConfigChecksItsValues() {
    UnivariateConfig config = UnivariateConfig.builder().anomalyRate(0.01).build();
    assertThat(config.meanAnomalySteps()).isEqualTo((2 + 9 + 75 + 150) / 4.0);
    // without level shifts: spans of mean length D, normal runs of mean length 1/p, so r = D / (D +
    // 1/p)
    UnivariateConfig noShifts = config.toBuilder().levelShiftsPerDay(0).build();
    double p = noShifts.anomalyStartProbability();
    double d = noShifts.meanAnomalySteps();
    assertThat(d / (d + 1 / p)).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
    // anomalies that a level shift would cut are dropped, so starts are a little likelier with
    // shifts
    assertThat(config.anomalyStartProbability()).isGreaterThan(p * 1.01).isLessThan(p * 1.1);
    assertThat(config.toBuilder().anomalyRate(0).build().anomalyStartProbability()).isZero();
    assertThat(config.levelShiftProbability())
        .isCloseTo(1.0 / 3 / 1440, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(config.kinds())
        .containsExactlyInAnyOrder(
            UnivariateKind.SPIKE,
            UnivariateKind.DIP,
            UnivariateKind.STUCK,
            UnivariateKind.PATTERN_CHANGE);

    assertThatThrownBy(() -> UnivariateConfig.builder().entities(0).build())
        .hasMessageContaining("entities");
    assertThatThrownBy(() -> UnivariateConfig.builder().anomalyRate(0.6).build())
        .hasMessageContaining("anomalyRate");
    assertThatThrownBy(() -> UnivariateConfig.builder().levelShiftsPerDay(-1).build())
        .hasMessageContaining("levelShiftsPerDay");
    assertThatThrownBy(() -> UnivariateConfig.builder().levelShiftsPerDay(1000).build())
        .hasMessageContaining("every two steps");
    assertThatThrownBy(() -> UnivariateConfig.builder().kinds(UnivariateKind.LEVEL_SHIFT).build())
        .hasMessageContaining("normal");
    assertThatThrownBy(() -> UnivariateConfig.builder().kinds(List.of()).build())
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> new UnivariateRow(0, "e", 1, 1, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UnivariateRow(0, "e", 1, 1, UnivariateKind.LEVEL_SHIFT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(UnivariateKind.fromId("pattern-change")).isEqualTo(UnivariateKind.PATTERN_CHANGE);
    assertThatThrownBy(() -> UnivariateKind.fromId("drift"))
        .hasMessageContaining("unknown kind 'drift'");
  }
}
