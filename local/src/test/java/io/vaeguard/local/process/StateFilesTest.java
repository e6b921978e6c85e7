package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {

  @Test
  void stateFileRoundTripsAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("state.properties");
    Properties state = properties("pid", "4242", "config", "C:\\odd path\\with=signs and: colons");

    StateFiles.write(file, state, "a header");

    assertThat(StateFiles.read(file)).isEqualTo(state);
    assertThat(file).content().startsWith("#a header");
    assertThat(dir.resolve("state.properties.tmp")).doesNotExist();
  }

  @Test
  void writeReplacesTheOldState(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("state.properties");
    StateFiles.write(file, properties("pid", "1", "gone", "x"), "one");

    StateFiles.write(file, properties("pid", "2"), "two");

    assertThat(StateFiles.read(file)).isEqualTo(properties("pid", "2"));
  }

  @Test
  void aMissingStateFileIsNullAndAnUnparsableOneIsEmpty(@TempDir Path dir) throws IOException {
    assertThat(StateFiles.read(dir.resolve("none.properties"))).isNull();
    assertThat(StateFiles.read(dir)).as("a directory is no state file").isNull();

    Path broken = dir.resolve("broken.properties");
    // the first line parses; the malformed \\u escape then makes Properties.load throw
    Files.writeString(broken, "pid=12\nport=\\uZZZZ\n");
    assertThat(StateFiles.read(broken)).isEmpty();
  }

  @Test
  void pidFilesRoundTripAndAnythingElseReadsAsMinusOne(@TempDir Path dir) throws IOException {
    Path pid = dir.resolve("x.pid");
    StateFiles.writePid(pid, 31337);
    assertThat(pid).hasContent("31337\n");
    assertThat(StateFiles.readPid(pid)).isEqualTo(31337);

    Files.writeString(pid, "  77 \n");
    assertThat(StateFiles.readPid(pid)).isEqualTo(77);
    Files.writeString(pid, "not a pid\n");
    assertThat(StateFiles.readPid(pid)).isEqualTo(-1);
    Files.writeString(pid, "");
    assertThat(StateFiles.readPid(pid)).isEqualTo(-1);
    assertThat(StateFiles.readPid(dir.resolve("missing.pid"))).isEqualTo(-1);
  }

  @Test
  void parseLongFallsBackOnNullAndGarbage() {
    assertThat(StateFiles.parseLong(" 9092 ", 0)).isEqualTo(9092);
    assertThat(StateFiles.parseLong(null, -1)).isEqualTo(-1);
    assertThat(StateFiles.parseLong("", -1)).isEqualTo(-1);
    assertThat(StateFiles.parseLong("12x", -1)).isEqualTo(-1);
  }

  @Test
  void deleteQuietlyToleratesWhatCannotBeDeleted(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("a.pid"), "1\n");
    StateFiles.deleteQuietly(file);
    assertThat(file).doesNotExist();
    StateFiles.deleteQuietly(file); // gone already

    Path nonEmpty = Files.createDirectories(dir.resolve("sub"));
    Files.writeString(nonEmpty.resolve("keep"), "x");
    StateFiles.deleteQuietly(nonEmpty); // DirectoryNotEmptyException: swallowed
    assertThat(nonEmpty).exists();
  }

  private static Properties properties(String... keysAndValues) {
    Properties p = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return p;
  }
}
