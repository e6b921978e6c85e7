package io.vaeguard.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the TEP .dat files: samples x variables as stored, or transposed like d00.dat. */
class TepDataTest {

  @Test
  void readsSamplesByVariablesAsStored(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("d01_te.dat");
    // the Braatz files: leading blanks, runs of spaces, exponent notation; a trailing blank line
    Files.writeString(
        f,
        "   2.5025000e-01   3.6572000e+03  -4.5e0\n"
            + "   1.0   2.0   3.0\n"
            + "\t4   5\t 6  \n"
            + "   7.0e-3   8   9\n\n");

    double[][] m = TepData.read(f, 3);

    assertThat(m).hasDimensions(4, 3);
    assertThat(m[0]).containsExactly(0.25025, 3657.2, -4.5);
    assertThat(m[1]).containsExactly(1.0, 2.0, 3.0);
    assertThat(m[2]).containsExactly(4.0, 5.0, 6.0);
    assertThat(m[3]).containsExactly(0.007, 8.0, 9.0);
  }

  @Test
  void transposesAFileStoredAsVariablesBySamples(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("d00.dat");
    // 3 variables (lines) x 5 samples (columns), as d00.dat stores its 52 x 500
    Files.writeString(f, " 1 2 3 4 5\n 10 20 30 40 50\n 100 200 300 400 500\n");

    double[][] m = TepData.read(f, 3);

    assertThat(m).hasDimensions(5, 3);
    for (int s = 0; s < 5; s++) {
      assertThat(m[s]).as("sample %d", s).containsExactly(s + 1.0, 10.0 * (s + 1), 100.0 * (s + 1));
    }
  }

  @Test
  void bothLayoutsOfFiftyTwoVariablesReadTheSame(@TempDir Path dir) throws IOException {
    int samples = 7;
    double[][] expected = new double[samples][TepData.VARIABLES];
    List<String> asStored = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      StringBuilder line = new StringBuilder();
      for (int v = 0; v < TepData.VARIABLES; v++) {
        expected[s][v] = s * 1000 + v + 0.5;
        line.append(String.format(Locale.ROOT, "   %.7e", expected[s][v]));
      }
      asStored.add(line.toString());
    }
    List<String> transposed = new ArrayList<>();
    for (int v = 0; v < TepData.VARIABLES; v++) {
      StringBuilder line = new StringBuilder();
      for (int s = 0; s < samples; s++) {
        line.append(String.format(Locale.ROOT, "   %.7e", expected[s][v]));
      }
      transposed.add(line.toString());
    }
    Path a = Files.write(dir.resolve("d05_te.dat"), asStored);
    Path t = Files.write(dir.resolve("d00.dat"), transposed);

    assertThat(TepData.read(a)).isDeepEqualTo(expected);
    assertThat(TepData.read(t)).isDeepEqualTo(expected);
  }

  @Test
  void aSquareFileIsReadAsStored(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("sq.dat"), "1 2\n3 4\n");

    assertThat(TepData.read(f, 2)).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
  }

  @Test
  void aFileOfNeitherShapeIsAUserError(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("odd.dat"), "1 2 3 4\n5 6 7 8\n");

    assertThatThrownBy(() -> TepData.read(f, 3))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("2 lines of 4 numbers")
        .hasMessageContaining("expected 3 numbers per line");
  }

  @Test
  void raggedLinesAndNonNumbersNameTheLine(@TempDir Path dir) throws IOException {
    Path ragged = Files.writeString(dir.resolve("ragged.dat"), "1 2 3\n4 5 6\n7 8\n");
    Path text = Files.writeString(dir.resolve("text.dat"), "1 2 3\n4 x 6\n");
    Path nan = Files.writeString(dir.resolve("nan.dat"), "1 2 3\n4 5 NaN\n");

    assertThatThrownBy(() -> TepData.read(ragged, 3))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(ragged + " line 3: 2 numbers, but the first line has 3");
    assertThatThrownBy(() -> TepData.read(text, 3))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(text + " line 2 column 2: 'x' is not a finite number");
    assertThatThrownBy(() -> TepData.read(nan, 3))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(nan + " line 2 column 3: 'NaN'");
  }

  @Test
  void missingFilesAreNamedBeforeAnythingIsRead(@TempDir Path dir) throws IOException {
    for (int k = 0; k <= TepData.LAST_FAULT; k++) {
      if (k != 7 && k != 21) {
        Files.writeString(dir.resolve(TepData.testFile(k)), "1\n");
      }
    }

    assertThatThrownBy(() -> TepData.requireFiles(dir))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("missing d00.dat, d07_te.dat, d21_te.dat in " + dir);

    Files.writeString(dir.resolve("d00.dat"), "1\n");
    Files.writeString(dir.resolve("d07_te.dat"), "1\n");
    assertThatThrownBy(() -> TepData.requireFiles(dir))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("missing d21_te.dat in ");
    Files.writeString(dir.resolve("d21_te.dat"), "1\n");
    TepData.requireFiles(dir); // complete: no error
    assertThatThrownBy(() -> TepData.requireFiles(dir.resolve("nowhere")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("no such directory");
  }

  @Test
  void namesFilesAndFeatures() {
    assertThat(TepData.testFile(0)).isEqualTo("d00_te.dat");
    assertThat(TepData.testFile(9)).isEqualTo("d09_te.dat");
    assertThat(TepData.testFile(21)).isEqualTo("d21_te.dat");
    assertThat(TepData.features()).hasSize(52).startsWith("x1", "x2").endsWith("x52");
  }
}
