package io.vaeguard.local.process;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The files a launcher leaves in its work directory so that other processes find what it started: a
 * properties state file (pid, ports, addresses) and PID files.
 */
public final class StateFiles {
  private StateFiles() {}

  /**
   * The properties in {@code file}: null when there is no such file, empty when it cannot be read
   * or parsed (whoever reads it then treats what it records as unknown).
   */
  public static Properties read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return p;
    } catch (IOException | IllegalArgumentException e) {
      return new Properties();
    }
  }

  /**
   * Writes {@code state} with the header {@code comment} to {@code file.tmp}, then moves that over
   * {@code file} atomically: a reader never sees half a file.
   */
  public static void write(Path file, Properties state, String comment) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      state.store(w, comment);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The pid in a PID file, or -1 when it cannot be read or holds no number. */
  public static long readPid(Path file) {
    try {
      return parseLong(Files.readString(file, StandardCharsets.UTF_8), -1);
    } catch (IOException e) {
      return -1;
    }
  }

  /** A PID file: the pid and a newline. */
  public static void writePid(Path file, long pid) throws IOException {
    Files.writeString(file, pid + "\n", StandardCharsets.UTF_8);
  }

  /** {@code s} as a number, white space around it ignored; {@code fallback} if null or none. */
  public static long parseLong(String s, long fallback) {
    try {
      return s == null ? fallback : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * Deletes {@code file} if it exists; best effort: a state or PID file left behind is reported as
   * stale by whoever reads it, since its pid is checked against the live processes.
   */
  public static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // see above
    }
  }
}
