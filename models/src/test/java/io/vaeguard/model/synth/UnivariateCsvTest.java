package io.vaeguard.model.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.data.CsvOptions;
import io.vaeguard.model.data.CsvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnivariateCsvTest {

  @Test
  void writesOneRowPerStepWithKindsMatchingTheSpans(@TempDir Path dir) throws IOException {
    UnivariateConfig config =
        UnivariateConfig.builder()
            .entities(3)
            .seed(9)
            .anomalyRate(0.1)
            .levelShiftsPerDay(3)
            .build();
    Path csv = dir.resolve("uni.csv");
    int steps = 3000;
    List<UnivariateSpan> spans = UnivariateCsv.writeRows(csv, config, steps);

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("timestamp,entity,value,anomaly,kind");
    assertThat(lines).hasSize(1 + 3 * steps);
    assertThat(lines.get(1)).startsWith(config.startMillis() + ",entity-000,").endsWith(",0,");
    long last = config.startMillis() + (steps - 1) * config.stepMillis();
    assertThat(spans).allMatch(s -> s.endMillis() <= last);
    assertThat(spans)
        .extracting(UnivariateSpan::kind)
        .contains(UnivariateKind.LEVEL_SHIFT, UnivariateKind.STUCK);

    List<UnivariateRow> expected = new java.util.ArrayList<>();
    UnivariateGenerator gen = new UnivariateGenerator(config);
    for (int i = 0; i < 3 * steps; i++) {
      expected.add(gen.next());
    }
    long labelled = 0;
    long shifts = 0;
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      assertThat(f).hasSize(5);
      UnivariateRow row = expected.get(i - 1);
      assertThat(Long.parseLong(f[0])).isEqualTo(row.timestampMillis());
      assertThat(f[1]).isEqualTo(row.entity());
      assertThat(Double.parseDouble(f[2])).isEqualTo(row.value());
      assertThat(f[2]).doesNotContain("E");
      UnivariateSpan span =
          spans.stream()
              .filter(s -> s.contains(f[1], row.timestampMillis()))
              .findFirst()
              .orElse(null);
      assertThat(f[3]).isEqualTo(span == null || span.label() == 0 ? "0" : "1");
      assertThat(f[4]).isEqualTo(span == null ? "" : span.kind().id());
      labelled += f[3].equals("1") ? 1 : 0;
      shifts += f[4].equals("level-shift") ? 1 : 0;
    }
    assertThat(labelled).isPositive();
    assertThat(shifts).isPositive().isEqualTo(spans.stream().filter(s -> s.label() == 0).count());

    Path labels = dir.resolve("spans.csv");
    UnivariateCsv.writeSpans(labels, spans);
    List<String> spanLines = Files.readAllLines(labels);
    assertThat(spanLines.get(0)).isEqualTo("entity,start,end,kind,label");
    assertThat(spanLines).hasSize(1 + spans.size());
    assertThat(spanLines)
        .anyMatch(l -> l.endsWith(",level-shift,0"))
        .anyMatch(l -> l.endsWith(",stuck,1"));
    assertThat(UnivariateCsv.readSpans(labels)).containsExactlyElementsOf(spans);
  }

  @Test
  void theValueIsTheOnlyFeatureWhenTheLabelIsExcluded(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("train.csv");
    UnivariateCsv.writeRows(
        csv,
        UnivariateConfig.builder().entities(2).anomalyRate(0).levelShiftsPerDay(5).build(),
        500);
    // what `vaeguard train --input train.csv --exclude anomaly` reads: the text column kind is no
    // feature
    CsvTable table =
        CsvTable.read(
            csv,
            CsvOptions.builder()
                .timeColumn("timestamp")
                .entityColumn("entity")
                .exclude("anomaly")
                .build());
    assertThat(table.features()).containsExactly("value");
    assertThat(table.rows()).isEqualTo(1000);
    assertThat(table.entities()[0]).isEqualTo("entity-000");
    assertThat(table.entities()[1]).isEqualTo("entity-001");
    assertThat(Files.readAllLines(csv)).anyMatch(l -> l.endsWith(",0,level-shift"));
  }

  @Test
  void aSpanRowThatDoesNotParseNamesFileAndLine(@TempDir Path dir) throws IOException {
    Path labels = dir.resolve("spans.csv");
    Files.writeString(
        labels, "entity,start,end,kind,label\nentity-000,1,2,spike,1\nentity-000,5,6,drift,1\n");
    assertThatThrownBy(() -> UnivariateCsv.readSpans(labels))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("drift");
    Files.writeString(labels, "entity,start,end,kind,label\nentity-000,5,5,level-shift,1\n");
    assertThatThrownBy(() -> UnivariateCsv.readSpans(labels)).hasMessageContaining("line 2");
  }

  @Test
  void plainDecimalText() {
    assertThat(UnivariateCsv.format(1e-4)).isEqualTo("0.00010");
    assertThat(UnivariateCsv.format(52.8375)).isEqualTo("52.8375");
    assertThat(UnivariateCsv.format(1.2345e7)).isEqualTo("12345000");
  }
}
