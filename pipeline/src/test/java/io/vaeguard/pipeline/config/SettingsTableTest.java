package io.vaeguard.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table is {@link JobOptions}, row for row: change an option and this test
 * prints the table to paste into the README.
 */
class SettingsTableTest {

  private static final Path README = Path.of("../README.md");
  private static final String HEADER = "| key | flag | default | description |";

  /** The table as the README shows it, made from the options. */
  static List<String> table() {
    List<String> rows = new ArrayList<>(List.of(HEADER, "| --- | --- | --- | --- |"));
    for (JobOption<?> o : JobOptions.ALL) {
      String dflt = o.defaultValue() == null ? "(none)" : "`" + o.defaultText() + "`";
      rows.add(
          "| `" + o.key() + "` | `" + o.flag() + "` | " + dflt + " | " + o.description() + " |");
    }
    return rows;
  }

  @Test
  void theReadmeTableIsTheOptions() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf(HEADER);
    assertThat(start).as(README + " has a settings table starting with " + HEADER).isNotNegative();
    List<String> inReadme = new ArrayList<>();
    for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      inReadme.add(lines.get(i));
    }
    assertThat(String.join("\n", inReadme))
        .as(
            "the settings table in "
                + README
                + " (expected: the table made from "
                + "JobOptions, to paste there)")
        .isEqualTo(String.join("\n", table()));
  }
}
