package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @Test
  void theLastLinesAreIndented(@TempDir Path dir) throws IOException {
    Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\nfour\n");

    assertThat(new LogTail(1024, false).of(log, 2)).isEqualTo("  | three\n  | four");
    assertThat(new LogTail(1024, true).of(log, 10))
        .isEqualTo("  | one\n  | two\n  | three\n  | four");
    assertThat(new LogTail(1024, false).of(Files.writeString(dir.resolve("empty.log"), ""), 5))
        .isEmpty();
  }

  @Test
  void onlyTheLastMaxBytesAreRead(@TempDir Path dir) throws IOException {
    Path log = Files.writeString(dir.resolve("a.log"), "aaaaaaaaaa\nbbb\nccc\n");

    // 8 bytes: "bbb\nccc\n"
    assertThat(new LogTail(8, false).of(log, 10)).isEqualTo("  | bbb\n  | ccc");
  }

  @Test
  void aMissingLogIsANoteIndentedOnlyWhenAskedFor(@TempDir Path dir) {
    Path none = dir.resolve("none.log");

    assertThat(new LogTail(1024, false).of(none, 5)).isEqualTo("(no log at " + none + ")");
    assertThat(new LogTail(1024, true).of(none, 5)).isEqualTo("  | (no log at " + none + ")");
  }

  @Test
  void maxBytesMustBePositive() {
    assertThatThrownBy(() -> new LogTail(0, false)).isInstanceOf(IllegalArgumentException.class);
  }
}
