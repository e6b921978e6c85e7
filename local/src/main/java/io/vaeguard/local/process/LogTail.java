package io.vaeguard.local.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The last lines of a child's log, each indented {@code " | "}, for error messages.
 *
 * @param maxBytes how much of the end of the file is read at most
 * @param indentNotes whether what stands instead of the lines when the file is missing or
 *     unreadable ({@code (no log at FILE)}, {@code (cannot read FILE: ERROR)}) is indented too
 */
public record LogTail(int maxBytes, boolean indentNotes) {

  public LogTail {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
  }

  /** The last {@code lines} lines of {@code file}, or a note on why there are none. */
  public String of(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return note("(no log at " + file + ")");
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int chunk = (int) Math.min(len, maxBytes);
      byte[] buf = new byte[chunk];
      f.seek(len - chunk);
      f.readFully(buf);
      List<String> all = new String(buf, StandardCharsets.UTF_8).lines().toList();
      return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
          .map(l -> "  | " + l)
          .collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return note("(cannot read " + file + ": " + e + ")");
    }
  }

  private String note(String text) {
    return indentNotes ? "  | " + text : text;
  }
}
