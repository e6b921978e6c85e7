package io.vaeguard.cluster;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of the JobManager and TaskManager JVMs started by {@link FlinkStandaloneCluster};
 * never loaded in the caller's JVM.
 *
 * <p>Runs on Flink's classpath only, so it uses nothing but the JDK and reaches Flink by reflection.
 * {@link FlinkStandaloneCluster} copies this class file alone into the work directory: keep it a
 * single class (no nested or anonymous classes; lambdas are fine).
 *
 * <p>Arguments: {@code MAIN_CLASS ARGS...}, e.g. {@code
 * org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir DIR}. Before calling {@code
 * MAIN_CLASS.main(ARGS)} it starts watching the process {@code -Dvaeguard.flink.parentPid=PID} when
 * that is set, and exits when that process ends: a test JVM killed without running its shutdown
 * hooks leaves no Flink process behind.
 */
public final class FlinkProcessMain {
  static final String PARENT_PID_PROPERTY = "vaeguard.flink.parentPid";

  private FlinkProcessMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 1) {
      System.err.println("usage: FlinkProcessMain MAIN_CLASS [ARGS...]");
      System.exit(2);
    }
    watchParent();
    Class<?> main = Class.forName(args[0]);
    try {
      main.getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void watchParent() {
    String pid = System.getProperty(PARENT_PID_PROPERTY);
    if (pid == null || pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid));
    if (parent.isEmpty() || !parent.get().isAlive()) {
      System.err.println("vaeguard: parent process " + pid + " is gone; not starting");
      System.exit(1);
    }
    parent
        .get()
        .onExit()
        .thenRun(
            () -> {
              System.err.println("vaeguard: parent process " + pid + " ended; shutting down");
              Thread halt =
                  new Thread(
                      () -> {
                        try {
                          Thread.sleep(15_000);
                        } catch (InterruptedException e) {
                          return;
                        }
                        Runtime.getRuntime().halt(1);
                      },
                      "vaeguard-halt");
              halt.setDaemon(true);
              halt.start();
              System.exit(1);
            });
  }
}
