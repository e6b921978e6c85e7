package io.vaeguard.local.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The command line of a live process, by which a launcher tells whether a recorded pid is still the
 * process it started and not one that reused the pid after a crash.
 */
public final class ProcessCommandLine {
  private ProcessCommandLine() {}

  /**
   * The program and arguments of process {@code pid}; empty when no such process is alive or its
   * command line cannot be read.
   */
  public static List<String> of(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return List.of();
    }
    Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
    if (Files.isReadable(proc)) {
      try {
        return Arrays.asList(Files.readString(proc, StandardCharsets.UTF_8).split("\0"));
      } catch (IOException e) {
        return List.of();
      }
    }
    ProcessHandle.Info info = h.get().info();
    List<String> args = new ArrayList<>();
    info.command().ifPresent(args::add);
    info.arguments().ifPresent(a -> args.addAll(Arrays.asList(a)));
    return args;
  }
}
