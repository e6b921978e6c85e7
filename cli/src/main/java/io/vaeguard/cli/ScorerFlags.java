package io.vaeguard.cli;

import io.vaeguard.model.scorer.ScorerOptions;
import picocli.CommandLine.Option;

/** ONNX Runtime session flags. */
final class ScorerFlags {

  @Option(
      names = "--device",
      paramLabel = "DEV",
      defaultValue = "cpu",
      description =
          "Execution provider: "
              + ScorerOptions.DEVICES
              + "; cuda falls back to cpu with a warning when "
              + "no GPU build or GPU is there (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  ScorerOptions options() {
    return ScorerOptions.builder().device(device).intraOpThreads(threads).build();
  }
}
