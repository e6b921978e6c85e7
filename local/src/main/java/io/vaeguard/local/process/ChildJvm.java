package io.vaeguard.local.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Starts a child JVM whose classpath is given, never the caller's. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * A process builder for {@code command} (a {@code java} command line without {@code -cp}) in
   * {@code dir}, whose classpath is {@code classpath} in the {@code CLASSPATH} environment
   * variable: `ps` stays readable, and a JVM that runs ONNX Runtime died with SIGSEGV when a ~7 kB
   * classpath was passed with {@code -cp} instead. {@code JAVA_TOOL_OPTIONS} and {@code
   * JDK_JAVA_OPTIONS} are removed: the caller's JVM options are not the child's.
   */
  public static ProcessBuilder builder(List<String> command, Path dir, List<String> classpath) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().put("CLASSPATH", String.join(File.pathSeparator, classpath));
    return pb;
  }

  /**
   * Starts {@code pb} with its stdout and stderr going to {@code output}, whose previous content is
   * kept as {@code output.1}, and its stdin closed.
   */
  public static Process start(ProcessBuilder pb, Path output) throws IOException {
    if (Files.exists(output)) {
      Files.move(
          output,
          output.resolveSibling(output.getFileName() + ".1"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }
}
