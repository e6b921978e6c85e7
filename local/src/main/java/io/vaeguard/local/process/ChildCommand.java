package io.vaeguard.local.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The command line of one child JVM. It starts in {@code entry}, a class of the launcher's that
 * {@link LauncherDir} copies out with the child-side classes: the entry watches this JVM through
 * {@code parentPidProperty} ({@link ParentWatch}), then calls the real main class ({@link
 * ChildMain}).
 *
 * @param java the java executable
 * @param jvmOptions heap, system properties and the like, before the entry class
 * @param entry the class the child JVM starts in
 * @param parentPidProperty the system property through which {@code entry} learns this JVM's pid;
 *     set only when the child is to end with this JVM
 * @param arguments the real main class and its arguments
 * @param classpath the child's classpath; the launcher directory is added to it
 * @param environment variables set on top of {@link ChildJvm#builder}'s environment
 */
public record ChildCommand(
    Path java,
    List<String> jvmOptions,
    Class<?> entry,
    String parentPidProperty,
    List<String> arguments,
    List<String> classpath,
    Map<String, String> environment) {

  public ChildCommand {
    Objects.requireNonNull(java, "java");
    jvmOptions = List.copyOf(jvmOptions);
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(parentPidProperty, "parentPidProperty");
    arguments = List.copyOf(arguments);
    classpath = List.copyOf(classpath);
    environment = Map.copyOf(environment);
  }

  /**
   * Writes the launcher directory to {@code workDir} and returns the process builder that runs this
   * command there. {@code owner}, the launcher, is named when a class file is missing.
   */
  ProcessBuilder builder(Path workDir, boolean detached, Class<?> owner) throws IOException {
    // the entry and what it uses, alone: nothing else of the caller's reaches the child
    Path launcherDir = LauncherDir.write(workDir, entry, owner);
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    if (!detached) {
      command.add("-D" + parentPidProperty + "=" + ProcessHandle.current().pid());
    }
    command.add(entry.getName());
    command.addAll(arguments);
    List<String> cp = new ArrayList<>(classpath);
    cp.add(launcherDir.toString());
    ProcessBuilder pb = ChildJvm.builder(command, workDir, cp);
    pb.environment().putAll(environment);
    return pb;
  }
}
