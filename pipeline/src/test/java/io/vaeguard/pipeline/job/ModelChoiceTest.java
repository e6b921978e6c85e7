package io.vaeguard.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.model.Precision;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.config.JobOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which model file the job serves for a model.dir and model.precision. */
class ModelChoiceTest {

  private static final Path DEFAULT = Path.of("../models/default").toAbsolutePath().normalize();

  private static JobConfig cfg(String dir, String precision) {
    JobConfig.Builder b = JobConfig.builder().set(JobOptions.MODEL_DIR, dir);
    if (precision != null) {
      b.set(JobOptions.PRECISION, precision);
    }
    return b.build();
  }

  @Test
  void aDirectoryOfVariantsServesFp32UnlessAsked() {
    assertThat(cfg(DEFAULT.toString(), null).model().readCard().precision()).isEqualTo("fp32");
    assertThat(cfg(DEFAULT.toString(), "int8").model().readCard().precision()).isEqualTo("int8");
  }

  @Test
  void aSingleModelDirectoryServesItsOwnPrecision() {
    // models/default/int8 holds one model, as every optimize variant does
    var location = cfg(DEFAULT.resolve("int8").toString(), null).model();
    assertThat(location.precision()).isEqualTo(Precision.INT8);
    assertThat(location.readCard().precision()).isEqualTo("int8");
  }
}
