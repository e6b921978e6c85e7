package io.vaeguard.bench.pipeline;

import java.util.List;

/**
 * One of the jobs whose throughput the benchmark compares, by its letter in the report.
 *
 * @param passThrough source, decode, to Score and the scores sink, no model
 */
record JobVariant(
    String key, String description, boolean passThrough, String precision, int batchSize) {

  /** (a) to (d), in the order they run. */
  static final List<JobVariant> ALL =
      List.of(
          new JobVariant(
              "a",
              "pass-through: source, decode, to Score, scores sink; no model",
              true,
              "fp32",
              256),
          new JobVariant("b", "VAE job fp32, batch 256", false, "fp32", 256),
          new JobVariant("c", "VAE job int8, batch 256", false, "int8", 256),
          new JobVariant("d", "VAE job fp32, batch 1", false, "fp32", 1));
}
