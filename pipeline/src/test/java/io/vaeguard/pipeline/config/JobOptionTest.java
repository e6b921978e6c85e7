package io.vaeguard.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaeguard.model.Precision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Typed options: each value is parsed once, and a bad one names its key (or flag) and what is
 * allowed.
 */
class JobOptionTest {

  @Test
  void aBadWholeNumberNamesTheKeyAndTheRange() {
    assertThat(JobOptions.BATCH_SIZE.parse(" 64 ")).isEqualTo(64);
    assertThatThrownBy(() -> JobOptions.BATCH_SIZE.parse("many"))
        .isInstanceOf(JobOption.InvalidValue.class)
        .hasMessage("scoring.batch-size: 'many' is not a whole number")
        .satisfies(
            e -> assertThat(((JobOption.InvalidValue) e).option()).isSameAs(JobOptions.BATCH_SIZE));
    assertThatThrownBy(() -> JobOptions.BATCH_SIZE.parse("0"))
        .hasMessage("scoring.batch-size must be positive, got 0");
    assertThatThrownBy(() -> JobOptions.PARALLELISM.parse("99999999999"))
        .hasMessage("parallelism: '99999999999' is not a whole number");
  }

  @Test
  void aBadDurationNamesTheKeyAndItsUnit() {
    assertThat(JobOptions.MAX_WAIT.parse("250")).isEqualTo(Duration.ofMillis(250));
    assertThat(JobOptions.CHECKPOINT_INTERVAL.parse("0")).isZero();
    assertThatThrownBy(() -> JobOptions.MAX_WAIT.parse("10s"))
        .hasMessage("scoring.max-wait-ms: '10s' is not a whole number");
    assertThatThrownBy(() -> JobOptions.COOLDOWN.parse("-1"))
        .hasMessage("alert.cooldown-ms must not be negative, got -1");
    assertThatThrownBy(() -> JobOptions.WINDOW_TTL.parse("0"))
        .hasMessage("window.ttl-ms must be positive, got 0");
  }

  @Test
  void aBadEnumNamesTheKeyAndTheValuesAllowed() {
    assertThat(JobOptions.STARTING_OFFSETS.parse("earliest")).isEqualTo(StartingOffsets.EARLIEST);
    assertThat(JobOptions.DELIVERY.parse("AT_LEAST_ONCE")).isEqualTo(DeliveryMode.AT_LEAST_ONCE);
    assertThatThrownBy(() -> JobOptions.STARTING_OFFSETS.parse("newest"))
        .hasMessage("starting.offsets: 'newest' is not one of earliest, latest, committed");
    assertThatThrownBy(() -> JobOptions.DELIVERY.parse("twice"))
        .hasMessage("delivery.guarantee: 'twice' is not one of exactly-once, at-least-once, none");
    assertThatThrownBy(() -> JobOptions.PRECISION.parse("int4"))
        .hasMessage(
            "model.precision: unknown precision 'int4', expected one of " + Precision.validIds());
  }

  @Test
  void numbersAndOptionalValues() {
    assertThat(JobOptions.THRESHOLD.parse("0.999")).isEqualTo(0.999);
    assertThat(JobOptions.THRESHOLD.parse(" ")).as("empty: the card's").isNull();
    assertThat(JobOptions.PRECISION.parse("")).isNull();
    assertThat(JobOptions.SCORES_TOPIC.parse("")).isNull();
    assertThatThrownBy(() -> JobOptions.THRESHOLD.parse("1"))
        .hasMessage("alert.threshold: '1' is not a number in [0,1)");
    assertThatThrownBy(() -> JobOptions.BOOTSTRAP_SERVERS.parse("broker"))
        .hasMessage("bootstrap.servers: 'broker' is not host:port[,host:port...]");
  }

  @Test
  void aValueAFlagGaveIsNamedByTheFlag() {
    assertThatThrownBy(() -> JobOptions.BATCH_SIZE.parse("0", JobOptions.BATCH_SIZE.flag()))
        .hasMessage("--scoring-batch-size must be positive, got 0");
    assertThatThrownBy(
            () -> JobConfig.builder().setFromFlag(JobOptions.STARTING_OFFSETS, "newest").build())
        .hasMessage("--starting-offsets: 'newest' is not one of earliest, latest, committed");
    // a later set() from a file or code is named by the key again
    assertThatThrownBy(
            () ->
                JobConfig.builder()
                    .setFromFlag(JobOptions.BATCH_SIZE, "1")
                    .set(JobOptions.BATCH_SIZE, "0")
                    .build())
        .hasMessage("scoring.batch-size must be positive, got 0");
  }

  @Test
  void everyDefaultIsAValueOfItsType() {
    for (JobOption<?> o : JobOptions.ALL) {
      assertThat(o.parse(o.defaultText())).as(o.key()).isEqualTo(o.defaultValue());
      assertThat(o.defaultValue() == null || o.type().isInstance(o.defaultValue()))
          .as(o.key())
          .isTrue();
      assertThat(o.helpText())
          .startsWith(o.description())
          .endsWith("(default: " + (o.defaultValue() == null ? "none" : o.defaultText()) + ")");
    }
    assertThat(JobOptions.COOLDOWN.defaultText()).isEqualTo("60000");
    assertThat(JobOptions.STARTING_OFFSETS.defaultText()).isEqualTo("committed");
    assertThat(JobOptions.BATCH_SIZE.paramLabel()).isEqualTo("N");
    assertThat(JobOptions.MAX_WAIT.paramLabel()).isEqualTo("N");
    assertThat(JobOptions.THRESHOLD.paramLabel()).isEqualTo("THRESHOLD");
    assertThat(JobOptions.STARTING_OFFSETS.paramLabel()).isEqualTo("OFFSETS");
  }

  @Test
  void aDefinitionIsCheckedWhereItIsMade() {
    assertThatThrownBy(
            () -> JobOption.key("x.size").intType().positive().defaultValue(0).withDescription("d"))
        .hasMessage("x.size must be positive, got 0");
    assertThatThrownBy(() -> JobOption.key("x.name").stringType().positive())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theConfigHoldsTypedValuesParsedOnceAndTravels() throws Exception {
    JobConfig c =
        JobConfig.builder()
            .set(JobOptions.STARTING_OFFSETS, "latest")
            .set(JobOptions.MAX_WAIT, "25")
            .set(JobOptions.THRESHOLD, "0.99")
            .build();
    assertThat(c.get(JobOptions.STARTING_OFFSETS)).isEqualTo(StartingOffsets.LATEST);
    assertThat(c.startingOffsets()).isEqualTo(StartingOffsets.LATEST);
    assertThat(c.get(JobOptions.MAX_WAIT)).isEqualTo(Duration.ofMillis(25));
    assertThat(c.threshold()).isEqualTo(0.99);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    JobConfig copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (JobConfig) in.readObject();
    }
    assertThat(copy.startingOffsets()).isEqualTo(StartingOffsets.LATEST);
    assertThat(copy.maxWait()).isEqualTo(Duration.ofMillis(25));
    assertThat(copy).hasToString(c.toString());
  }
}
