package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildMain;
import io.vaeguard.local.process.ParentWatch;

/**
 * Entry point of the JobManager and TaskManager JVMs started by {@link FlinkStandaloneCluster};
 * never loaded in the caller's JVM.
 *
 * <p>Runs on Flink's classpath only, so it uses nothing but the JDK (and the child-side classes of
 * {@code io.vaeguard.local.process}) and reaches Flink by reflection. {@link
 * FlinkStandaloneCluster} copies this class file and those alone into the work directory: keep it a
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
    ParentWatch.start(PARENT_PID_PROPERTY, "shutting down");
    ChildMain.call(args);
  }
}
