package io.vaeguard.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a cluster work directory's PID files say, checked against the running processes.
 *
 * @param workDir the work directory
 * @param restUrl the recorded REST address (the dashboard), or null when none is recorded
 * @param jobManager the JobManager, or null when no PID file records one
 * @param taskManagers the TaskManagers with a PID file, by index
 */
public record ClusterStatus(
    Path workDir, String restUrl, ProcessStatus jobManager, List<ProcessStatus> taskManagers) {

  /**
   * One recorded process.
   *
   * @param name {@code jobmanager} or {@code taskmanager-N}
   * @param pid the recorded pid
   * @param running whether that pid is alive and still the process this directory started
   * @param log the process's log file
   */
  public record ProcessStatus(String name, long pid, boolean running, Path log) {
    String describe() {
      return name + " " + (running ? "pid " + pid : "not running (pid " + pid + " is gone)");
    }
  }

  /** Whether anything recorded here still runs. */
  public boolean anyRunning() {
    return (jobManager != null && jobManager.running())
        || taskManagers.stream().anyMatch(ProcessStatus::running);
  }

  public long runningTaskManagers() {
    return taskManagers.stream().filter(ProcessStatus::running).count();
  }

  /** One line for a person, e.g. what {@code vaeguard cluster status} prints. */
  public String describe() {
    if (jobManager == null && taskManagers.isEmpty()) {
      return "stopped: no Flink cluster recorded in " + workDir;
    }
    String processes =
        (jobManager == null ? "" : jobManager.describe() + ", ")
            + taskManagers.stream().map(ProcessStatus::describe).collect(Collectors.joining(", "));
    String state =
        jobManager != null && jobManager.running()
            ? "running: dashboard " + restUrl + ", " + runningTaskManagers() + " TaskManager(s)"
            : anyRunning() ? "partly running (no JobManager)" : "not running (stale PID files)";
    return state
        + "; "
        + processes
        + "; logs in "
        + workDir.resolve(FlinkStandaloneCluster.LOG_DIR);
  }
}
