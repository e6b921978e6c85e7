package io.vaeguard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process run of the vaeguard command line, as {@code main} configures it: its exit code and
 * what it printed to its standard output and error.
 */
record CliRun(int exitCode, String out, String err) {

  /**
   * Runs {@code vaeguard args...}; each argument is passed as its {@code toString()}, so paths can
   * be given as is.
   */
  static CliRun of(Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = VaeguardCli.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The non-blank lines printed to standard error. */
  List<String> errLines() {
    return err.lines().filter(l -> !l.isBlank()).toList();
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
