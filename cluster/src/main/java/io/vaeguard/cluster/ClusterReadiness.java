package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildProcessLauncher;
import io.vaeguard.local.process.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Waits until the cluster is up: the JobManager's REST API answers, then enough live TaskManagers
 * are registered with it. A process that ends meanwhile fails the wait at once ({@link
 * ChildProcessLauncher#awaitReady}); past the timeout, the error says what did not happen and
 * quotes the last lines of the log most likely to say why.
 */
final class ClusterReadiness {
  private static final String JOBMANAGER = ClusterWorkDir.JOBMANAGER;

  private final ChildProcessLauncher children;
  private final TaskManagers taskManagers;
  private final ClusterWorkDir files;

  ClusterReadiness(ChildProcessLauncher children, TaskManagers taskManagers, ClusterWorkDir files) {
    this.children = children;
    this.taskManagers = taskManagers;
    this.files = files;
  }

  /** Until {@code GET /overview} answers, by {@code deadlineNanos} ({@link System#nanoTime()}). */
  void awaitRest(FlinkRestClient rest, String restUrl, long deadlineNanos, Duration timeout) {
    children.awaitReady(
        deadlineNanos,
        Duration.ofMillis(100),
        rest::isUp,
        () ->
            new FlinkClusterException(
                "the Flink JobManager (pid "
                    + children.child(JOBMANAGER).map(ManagedProcess::pid).orElse(-1L)
                    + ") did not answer on "
                    + restUrl
                    + " within "
                    + timeout.toSeconds()
                    + " s; it was stopped. Its log is "
                    + files.logFile(JOBMANAGER)
                    + ", last lines:\n"
                    + tail(JOBMANAGER)));
  }

  /**
   * Until {@code count} live TaskManagers are registered ({@code GET /taskmanagers}); on a timeout,
   * the newest TaskManager's log (the JobManager's when there is none) is quoted.
   *
   * @param rest read on every poll: the cluster's throws until it has started
   */
  void awaitTaskManagers(
      Supplier<FlinkRestClient> rest, String restUrl, int count, Duration timeout) {
    AtomicLong registered = new AtomicLong();
    children.awaitReady(
        System.nanoTime() + timeout.toNanos(),
        Duration.ofMillis(200),
        () -> {
          List<String> live = taskManagers.liveResourceIds();
          registered.set(
              rest.get().taskManagers().stream().filter(tm -> live.contains(tm.id())).count());
          return registered.get() >= count;
        },
        () -> {
          String name = taskManagers.newest().orElse(JOBMANAGER);
          return new FlinkClusterException(
              registered.get()
                  + " of "
                  + count
                  + " TaskManagers registered with the JobManager at "
                  + restUrl
                  + " within "
                  + timeout.toSeconds()
                  + " s; log of "
                  + name
                  + " ("
                  + files.logFile(name)
                  + "), last lines:\n"
                  + tail(name));
        });
  }

  private String tail(String name) {
    Path log = files.logFile(name);
    return ClusterWorkDir.tail(log, ClusterWorkDir.LOG_TAIL_LINES);
  }
}
