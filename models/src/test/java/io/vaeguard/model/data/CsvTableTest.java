package io.vaeguard.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

  private static final String SKAB_HEADER =
      "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;"
          + "Temperature;Thermocouple;Voltage;Volume Flow RateRMS;anomaly;changepoint";

  @TempDir Path dir;

  @Test
  void readsSkabLayout() throws IOException {
    Path f =
        write(
            "skab.csv",
            SKAB_HEADER,
            "2020-03-09 10:14:33;0.0265;0.0405;0.789;0.382;71.2;24.3;229.4;32.0;0.0;0.0",
            "2020-03-09 10:14:34;0.0266;0.0406;0.790;0.383;71.3;24.4;229.5;32.1;1.0;1.0",
            "2020-03-09 10:14:35;0.0267;0.0407;0.791;0.384;71.4;24.5;229.6;32.2;1.0;0.0");

    CsvTable t =
        CsvTable.read(
            f,
            CsvOptions.builder()
                .delimiter(';')
                .timeColumn("datetime")
                .labelColumn("anomaly")
                .exclude("changepoint")
                .build());

    assertThat(t.features())
        .containsExactly(
            "Accelerometer1RMS",
            "Accelerometer2RMS",
            "Current",
            "Pressure",
            "Temperature",
            "Thermocouple",
            "Voltage",
            "Volume Flow RateRMS");
    assertThat(t.rows()).isEqualTo(3);
    assertThat(t.values()[1])
        .containsExactly(0.0266, 0.0406, 0.790, 0.383, 71.3, 24.4, 229.5, 32.1);
    assertThat(t.times())
        .containsExactly("2020-03-09 10:14:33", "2020-03-09 10:14:34", "2020-03-09 10:14:35");
    assertThat(t.labels()).containsExactly(0, 1, 1);
    assertThat(t.rowIndex()).containsExactly(0, 1, 2);
  }

  @Test
  void explicitFeaturesKeepTheirOrderAndRangesSelectRows() throws IOException {
    Path f = write("a.csv", "a,b,c", "1,10,100", "2,20,200", "3,30,300", "4,40,400");

    CsvTable t = CsvTable.read(f, CsvOptions.builder().features("c", "a").range("1:3").build());

    assertThat(t.features()).containsExactly("c", "a");
    assertThat(t.values()).isDeepEqualTo(new double[][] {{200, 2}, {300, 3}});
    assertThat(t.rowIndex()).containsExactly(1, 2);
    assertThat(t.times()).isNull();
    assertThat(t.labels()).isNull();
    assertThat(CsvTable.read(f, CsvOptions.builder().range("2:").build()).rowIndex())
        .containsExactly(2, 3);
    assertThat(CsvTable.read(f, CsvOptions.builder().range(":1").build()).values())
        .isDeepEqualTo(new double[][] {{1, 10, 100}});
    assertThat(CsvTable.read(f, CsvOptions.builder().range(":400").build()).rows()).isEqualTo(4);
  }

  @Test
  void autoSelectionSkipsTextColumnsAndLabelsAboveHalfAreOne() throws IOException {
    Path f = write("b.csv", "id,x,label,y", "abc,1.5,0.7,2", "def,2.5,0.2,3");

    CsvTable t = CsvTable.read(f, CsvOptions.builder().labelColumn("label").build());

    assertThat(t.features()).containsExactly("x", "y");
    assertThat(t.labels()).containsExactly(1, 0);
  }

  @Test
  void blankLinesKeepLineNumbersTrue() throws IOException {
    Path f = write("c.csv", "a,b", "1,2", "", "3,oops");

    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().build()))
        .isInstanceOf(DataException.class)
        .hasMessage(f + " line 4, column 'b': 'oops' is not a number");
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("nope.csv");
    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no such file: " + f);
  }

  @Test
  void unparsableNumberNamesFileLineAndColumn() throws IOException {
    Path f = write("d.csv", "t;Pressure;Current", "x;1;2", "y;abc;3");

    assertThatThrownBy(
            () -> CsvTable.read(f, CsvOptions.builder().delimiter(';').timeColumn("t").build()))
        .isInstanceOf(DataException.class)
        .hasMessage(f + " line 3, column 'Pressure': 'abc' is not a number");
  }

  @Test
  void nonFiniteValues() throws IOException {
    Path f = write("e.csv", "a,b", "1,2", "3,NaN", "Infinity,4");

    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().build()))
        .hasMessage(f + " line 3, column 'b': 'NaN' is not finite");
    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().range("2:").build()))
        .hasMessage(f + " line 4, column 'a': 'Infinity' is not finite");
  }

  @Test
  void unknownFeatureListsTheColumns() throws IOException {
    Path f = write("f.csv", "a,b,c", "1,2,3");

    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().features("a", "Foo").build()))
        .isInstanceOf(DataException.class)
        .hasMessage("unknown feature 'Foo' in " + f + "; columns are: a, b, c");
    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().exclude("Bar").build()))
        .hasMessage("unknown column 'Bar' to exclude in " + f + "; columns are: a, b, c");
  }

  @Test
  void missingLabelAndTimeColumns() throws IOException {
    Path f = write("g.csv", "a,b", "1,2");

    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().labelColumn("anomaly").build()))
        .isInstanceOf(DataException.class)
        .hasMessage("no label column 'anomaly' in " + f + "; columns are: a, b");
    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().timeColumn("datetime").build()))
        .hasMessage("no time column 'datetime' in " + f + "; columns are: a, b");
  }

  @Test
  void unparsableLabelNamesLineAndColumn() throws IOException {
    Path f = write("h.csv", "a,anomaly", "1,0", "2,yes");

    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().labelColumn("anomaly").build()))
        .hasMessage(f + " line 3, column 'anomaly': 'yes' is not a number");
  }

  @Test
  void emptyRange() throws IOException {
    Path f = write("i.csv", "a", "1", "2", "3");

    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().range("5:").build()))
        .isInstanceOf(DataException.class)
        .hasMessage("row range 5: selects no rows of " + f + ": it has 3 data rows");
    assertThatThrownBy(() -> RowRange.parse("20:10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row range 20:10 is empty");
    assertThatThrownBy(() -> RowRange.parse("ten")).hasMessageContaining("must look like FROM:TO");
    assertThatThrownBy(() -> RowRange.parse("a:3")).hasMessageContaining("'a' is not a row index");
  }

  @Test
  void raggedRowsNameTheLineEvenOutsideTheRange() throws IOException {
    Path f = write("j.csv", "a,b,c", "1,2,3", "4,5,6", "7,8");

    assertThatThrownBy(() -> CsvTable.read(f, CsvOptions.builder().range(":1").build()))
        .isInstanceOf(DataException.class)
        .hasMessage(f + " line 4: 2 values but the header has 3 columns");
  }

  @Test
  void emptyAndHeaderOnlyFilesAndDuplicateColumns() throws IOException {
    Path empty = write("k.csv");
    Path headerOnly = write("l.csv", "a,b");
    Path dup = write("m.csv", "a,b,a", "1,2,3");

    assertThatThrownBy(() -> CsvTable.read(empty, CsvOptions.builder().build()))
        .hasMessage(empty + " is empty: expected a header row");
    assertThatThrownBy(() -> CsvTable.read(headerOnly, CsvOptions.builder().build()))
        .hasMessage(headerOnly + " has a header but no data rows");
    assertThatThrownBy(() -> CsvTable.read(dup, CsvOptions.builder().build()))
        .hasMessage(dup + " line 1: column 'a' appears twice in the header");
  }

  @Test
  void featuresAndExcludeTogetherAreRejected() {
    assertThatThrownBy(() -> CsvOptions.builder().features("a").exclude("b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("either explicit features or columns to exclude");
  }

  @Test
  void javaOnlyNumberSyntaxIsNotData() {
    assertThat(CsvTableReader.isNumber("1.5e3")).isTrue();
    assertThat(CsvTableReader.isNumber("-2")).isTrue();
    assertThat(CsvTableReader.isNumber("1d")).isFalse();
    assertThat(CsvTableReader.isNumber("0x1p3")).isFalse();
    assertThat(CsvTableReader.isNumber("")).isFalse();
  }

  private Path write(String name, String... lines) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
    return f;
  }
}
