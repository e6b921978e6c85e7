package io.vaeguard.pipeline.generator;

import io.vaeguard.model.synth.AnomalySpan;
import io.vaeguard.model.synth.SyntheticCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The ground truth of a synthetic stream so far, the anomaly spans injected: a labels file that a
 * generator rewrites as it goes ({@code vaeguard generate --labels-out}), or the spans of an {@link
 * ObservationProducer} running in the same JVM. The CLI's live alert view scores alerts against it.
 */
public interface LabelSource {

  /** The spans known now; called every few seconds. */
  List<AnomalySpan> spans();

  /**
   * The event time the stream has reached, when the source knows it (a generator in the same JVM):
   * an uncaught span whose window closed before it counts as missed.
   */
  default OptionalLong eventTimeNow() {
    return OptionalLong.empty();
  }

  /** A short description for the view's first line. */
  String describe();

  /** Spans from a supplier, e.g. {@link ObservationProducer#sentSpans()}. */
  static LabelSource of(
      String description, Supplier<List<AnomalySpan>> spans, Supplier<OptionalLong> eventTime) {
    Objects.requireNonNull(spans, "spans");
    Objects.requireNonNull(eventTime, "eventTime");
    return new LabelSource() {
      @Override
      public List<AnomalySpan> spans() {
        return spans.get();
      }

      @Override
      public OptionalLong eventTimeNow() {
        return eventTime.get();
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  /**
   * A spans file ({@link SyntheticCsv#writeSpans}), read again whenever it changes; a file that
   * does not exist yet has no spans. A file that exists but does not parse is an error.
   */
  static LabelSource file(Path csv) {
    return new FileLabels(csv);
  }

  /** Re-reads the file when its modification time or size changes. */
  final class FileLabels implements LabelSource {
    private final Path file;
    private FileTime modified;
    private long size = -1;
    private List<AnomalySpan> spans = List.of();

    private FileLabels(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized List<AnomalySpan> spans() {
      try {
        FileTime m = Files.getLastModifiedTime(file);
        long s = Files.size(file);
        if (!m.equals(modified) || s != size) {
          spans = List.copyOf(SyntheticCsv.readSpans(file));
          modified = m;
          size = s;
        }
      } catch (NoSuchFileException e) {
        spans = List.of();
        modified = null;
        size = -1;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the labels file " + file + ": " + e.getMessage(), e);
      }
      return spans;
    }

    @Override
    public String describe() {
      return file.toString();
    }
  }
}
