package io.vaeguard.local.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A child's log as a launcher's error messages quote it.
 *
 * @param file the log the messages name
 * @param output where the child's stdout and stderr go: the same file (the Kafka broker), or one
 *     quoted after it (Flink's {@code .out} beside its {@code .log})
 * @param reader how the end of a file is read
 * @param lines how many of the log's last lines a message quotes
 */
public record ChildLog(Path file, Path output, LogTail reader, int lines) {
  /** The output's last lines that a message quotes after the log's, when it is another file. */
  static final int OUTPUT_LINES = 10;

  /** How far back a failure's cause is looked for: lines of the log, then of the output. */
  static final int RECENT_LOG_LINES = 400;

  static final int RECENT_OUTPUT_LINES = 200;

  public ChildLog {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(reader, "reader");
  }

  /** The log's last {@link #lines()} lines, indented. */
  public String tail() {
    return reader.of(file, lines);
  }

  /** The end of the log, and of the output when it is another file: where a cause is looked for. */
  public String recent() {
    String log = reader.of(file, RECENT_LOG_LINES);
    return file.equals(output) ? log : log + "\n" + reader.of(output, RECENT_OUTPUT_LINES);
  }

  /** Why a child ended, for a message: its log's last lines and, when elsewhere, its output's. */
  String excerpt() {
    String text = "its log is " + file + ", last lines:\n" + tail();
    if (!file.equals(output)) {
      text += "\nand its output (" + output + "):\n" + reader.of(output, OUTPUT_LINES);
    }
    return text;
  }
}
