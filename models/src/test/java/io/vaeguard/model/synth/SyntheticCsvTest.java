package io.vaeguard.model.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCsvTest {

  @Test
  void writesOneRowPerReadingWithLabelsMatchingTheSpans(@TempDir Path dir) throws IOException {
    GeneratorConfig config = GeneratorConfig.builder().entities(3).anomalyRate(0.2).seed(9).build();
    Path csv = dir.resolve("synthetic.csv");
    List<AnomalySpan> spans = SyntheticCsv.writeReadings(csv, config, 400);

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0))
        .isEqualTo(
            "timestamp,entity,temperature,pressure,flow,vibration,current,voltage,rpm,humidity,anomaly,kind");
    assertThat(lines).hasSize(1 + 3 * 400);
    assertThat(lines.get(1)).startsWith(config.startMillis() + ",entity-000,");

    long labelled = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertThat(f).hasSize(12);
      long t = Long.parseLong(f[0]);
      AnomalySpan span = spans.stream().filter(s -> s.contains(f[1], t)).findFirst().orElse(null);
      assertThat(f[10]).isEqualTo(span == null ? "0" : "1");
      assertThat(f[11]).isEqualTo(span == null ? "" : span.kind().name());
      labelled += f[10].equals("1") ? 1 : 0;
    }
    assertThat(labelled).isPositive();
    long last = config.startMillis() + 399 * config.stepMillis();
    assertThat(spans).allMatch(s -> s.endMillis() <= last);

    Path labels = dir.resolve("labels.csv");
    SyntheticCsv.writeSpans(labels, spans);
    List<String> spanLines = Files.readAllLines(labels);
    assertThat(spanLines.get(0)).isEqualTo("entity,start,end,kind,channels");
    assertThat(spanLines).hasSize(1 + spans.size());
  }

  @Test
  void spansReadBackAsWritten(@TempDir Path dir) throws IOException {
    List<AnomalySpan> spans =
        List.of(
            new AnomalySpan("entity-001", 1000, 5000, AnomalyKind.DRIFT, List.of(Channel.PRESSURE)),
            new AnomalySpan(
                "entity-002", 7000, 7000, AnomalyKind.SPIKE, List.of(Channel.FLOW, Channel.RPM)));
    Path labels = dir.resolve("labels.csv");
    SyntheticCsv.writeSpans(labels, spans);
    assertThat(SyntheticCsv.readSpans(labels)).containsExactlyElementsOf(spans);
  }

  @Test
  void aSpanRowThatDoesNotParseNamesFileAndLine(@TempDir Path dir) throws IOException {
    Path labels = dir.resolve("labels.csv");
    Files.writeString(
        labels,
        "entity,start,end,kind,channels\nentity-001,1000,2000,SPIKE,flow\n"
            + "entity-001,3000,x,SPIKE,flow\n");
    assertThatThrownBy(() -> SyntheticCsv.readSpans(labels))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(labels + " line 3: ");
  }
}
