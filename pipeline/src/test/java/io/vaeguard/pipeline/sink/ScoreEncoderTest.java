package io.vaeguard.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.pipeline.rows.ScoredRow;
import io.vaeguard.schema.Score;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ScoreEncoderTest {

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    int n =
        r.nextInt(10) == 0
            ? r.nextInt(300)
            : r.nextInt(12); // sometimes past the buffer's first size
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(10)) {
        case 0 -> sb.appendCodePoint(0x80 + r.nextInt(0x700));
        case 1 -> sb.appendCodePoint(0x800 + r.nextInt(0xD000 - 0x800));
        case 2 -> sb.appendCodePoint(0x10000 + r.nextInt(0x10000));
        case 3 -> sb.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate: '?' in UTF-8
        default -> sb.append((char) ('a' + r.nextInt(26)));
      }
    }
    return sb.toString();
  }

  private static double randomDouble(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> Double.NaN;
      case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 2 -> r.nextBoolean() ? Double.MAX_VALUE : -Double.MIN_VALUE;
      case 3 -> -0.0;
      case 4 -> Double.longBitsToDouble(r.nextLong()); // any bits, NaN payloads too
      default -> r.nextDouble();
    };
  }

  private static Instant randomTime(Random r) {
    return Instant.ofEpochMilli(
        switch (r.nextInt(6)) {
          case 0 -> Long.MIN_VALUE;
          case 1 -> Long.MAX_VALUE;
          case 2 -> r.nextLong();
          case 3 -> 0;
          default -> 1_700_000_000_000L + r.nextInt(1_000_000);
        });
  }

  private static Score randomScore(Random r) {
    return new Score(
        randomString(r),
        randomTime(r),
        randomTime(r),
        randomString(r),
        randomString(r),
        randomDouble(r),
        randomDouble(r),
        randomDouble(r),
        randomDouble(r),
        r.nextBoolean(),
        randomDouble(r),
        r.nextInt(101),
        r.nextBoolean());
  }

  /** What UTF-8 makes of the strings: a lone surrogate comes back as '?'. */
  private static Score asWritten(Score s) {
    return new Score(
        utf8(s.getEntityId()),
        s.getEventTime(),
        s.getScoredTime(),
        utf8(s.getModelName()),
        utf8(s.getModelVersion()),
        s.getReconstructionError(),
        s.getKl(),
        s.getRawScore(),
        s.getScore(),
        s.getAlert(),
        s.getStatistic(),
        s.getSeverity(),
        s.getWarmingUp());
  }

  /** The field values, doubles by their bits: Score.equals finds a NaN unequal to itself. */
  private static List<Object> fields(Score s) {
    return List.of(
        s.getEntityId(),
        s.getEventTime(),
        s.getScoredTime(),
        s.getModelName(),
        s.getModelVersion(),
        Double.doubleToRawLongBits(s.getReconstructionError()),
        Double.doubleToRawLongBits(s.getKl()),
        Double.doubleToRawLongBits(s.getRawScore()),
        Double.doubleToRawLongBits(s.getScore()),
        s.getAlert());
  }

  private static String utf8(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private static byte[] byAvro(Score s) throws Exception {
    ByteBuffer buf = Score.getEncoder().encode(s);
    byte[] b = new byte[buf.remaining()];
    buf.get(b);
    return b;
  }

  @Test
  void writesTheBytesAvroWritesForRandomScores() throws Exception {
    Random r = new Random(42);
    ScoreEncoder encoder = new ScoreEncoder();
    for (int i = 0; i < 5_000; i++) {
      Score s = randomScore(r);
      byte[] expected = byAvro(s);
      byte[] actual = encoder.encode(s);
      assertThat(actual).as("score %d: %s", i, s).isEqualTo(expected);
      Score back = Score.getDecoder().decode(actual);
      assertThat(fields(back))
          .as("score %d, decoded: %s", i, HexFormat.of().formatHex(actual))
          .isEqualTo(fields(asWritten(s)));
    }
  }

  @Test
  void aScoredRowIsWrittenAsItsScore() throws Exception {
    Random r = new Random(7);
    ScoreEncoder encoder = new ScoreEncoder();
    for (int i = 0; i < 2_000; i++) {
      Score s = randomScore(r);
      ScoredRow row =
          new ScoredRow(
              s.getEntityId(),
              s.getEventTime().toEpochMilli(),
              s.getScore(),
              s.getRawScore(),
              s.getStatistic(),
              s.getReconstructionError(),
              s.getKl(),
              s.getSeverity(),
              s.getAlert(),
              s.getWarmingUp(),
              new String[0],
              new double[0],
              null,
              s.getModelName(),
              s.getModelVersion(),
              0,
              s.getScoredTime().toEpochMilli());
      assertThat(encoder.encode(row)).as("row %d", i).isEqualTo(byAvro(row.toScore()));
    }
  }

  @Test
  void aNullFieldIsRefusedWithItsName() {
    Score s =
        new Score(
            "e", Instant.EPOCH, Instant.EPOCH, null, "1", 0.0, 0.0, 0.0, 0.0, false, 0.0, 0, false);
    assertThatThrownBy(() -> new ScoreEncoder().encode(s))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("Score.modelName");
  }

  @Test
  void theSchemaItWritesIsScoresSchema() {
    // the same check that runs when the class loads
    assertThat(ScoreEncoder.checkSchema(Score.SCHEMA$)).isSameAs(Score.SCHEMA$);
  }

  @Test
  void aChangedSchemaIsRefused() {
    String fields = Score.SCHEMA$.toString();
    Schema renamed = new Schema.Parser().parse(fields.replace("\"kl\"", "\"klDivergence\""));
    assertThatThrownBy(() -> ScoreEncoder.checkSchema(renamed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("field 6")
        .hasMessageContaining("klDivergence");
    Schema retyped =
        new Schema.Parser()
            .parse(
                fields.replace(
                    "\"name\":\"alert\",\"type\":\"boolean\"",
                    "\"name\":\"alert\",\"type\":\"int\""));
    assertThatThrownBy(() -> ScoreEncoder.checkSchema(retyped)).hasMessageContaining("INT");
    Schema plainLong =
        new Schema.Parser()
            .parse(
                fields.replaceFirst(
                    "\\{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}", "\"long\""));
    assertThatThrownBy(() -> ScoreEncoder.checkSchema(plainLong)).hasMessageContaining("eventTime");
    Schema longer =
        new Schema.Parser()
            .parse(fields.replace("]}", ",{\"name\":\"extra\",\"type\":\"int\",\"default\":0}]}"));
    assertThatThrownBy(() -> ScoreEncoder.checkSchema(longer)).hasMessageContaining("field 13");
  }
}
