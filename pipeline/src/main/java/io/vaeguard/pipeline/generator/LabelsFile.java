package io.vaeguard.pipeline.generator;

import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.SyntheticCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Supplier;

/**
 * The generator's labels file, rewritten whole each time: a temporary file moved over the old one,
 * so a reader never sees half a file.
 */
final class LabelsFile {

  private final Path file;

  LabelsFile(Path file) {
    this.file = file;
  }

  /**
   * Writes the spans {@code snapshot} gives, taken under this file's lock so that a later snapshot
   * is never overwritten by an earlier one. Safe from any thread.
   */
  synchronized void write(Supplier<List<AnomalySpan>> snapshot) {
    List<AnomalySpan> spans = snapshot.get();
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      SyntheticCsv.writeSpans(tmp, spans);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the labels file " + file + ": " + e.getMessage(), e);
    }
  }
}
