package io.vaeguard.cli.run;

import io.vaeguard.cli.UserError;
import io.vaeguard.local.process.LoopbackPorts;
import io.vaeguard.local.process.ShutdownHook;
import io.vaeguard.pipeline.job.LoopbackMiniCluster;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * Flink in this JVM for {@code vaeguard run}: a MiniCluster with one TaskManager (a slot per
 * parallel subtask) and the web dashboard, everything bound to 127.0.0.1. It runs one job until the
 * job ends or the JVM is asked to stop (Ctrl-C), then cancels the job and stops the cluster.
 */
public final class LocalFlink {

  /** Every Flink endpoint binds here and only here. */
  public static final String LOOPBACK = LoopbackMiniCluster.HOST;

  /** Task off-heap memory: room for ONNX Runtime's native allocations. */
  public static final MemorySize TASK_OFF_HEAP = LoopbackMiniCluster.TASK_OFF_HEAP;

  private static final long STOP_TIMEOUT_SECONDS = 30;

  private final int webPort;
  private final int slots;
  private final PrintWriter out;

  public LocalFlink(int webPort, int slots, PrintWriter out) {
    if (webPort < 0 || webPort > 65535) {
      throw new UserError(
          "--web-port: " + webPort + " is not a port number (1-65535, or 0 for any free port)");
    }
    this.webPort = webPort;
    this.slots = slots;
    this.out = out;
  }

  /**
   * The Flink configuration of the local cluster (also the environment's, so the job sees the
   * same).
   */
  public Configuration configuration() {
    return LoopbackMiniCluster.configuration(webPort, slots);
  }

  /**
   * Fails with a {@link UserError} naming the port and the flag when something listens on it
   * already.
   */
  public static void checkPortFree(int port) {
    if (port != 0 && !LoopbackPorts.isFree(port)) {
      throw portTaken(port);
    }
  }

  private static UserError portTaken(int port) {
    return new UserError(
        "port "
            + port
            + " on "
            + LOOPBACK
            + " is already in use, so the Flink dashboard "
            + "cannot start there; choose a free port with --web-port N");
  }

  /**
   * Starts the cluster, runs {@code job} and waits until it ends; on Ctrl-C cancels it and stops
   * the cluster. Returns 0 when the job finished or was stopped, 1 when it failed.
   */
  public int run(JobGraph job) throws Exception {
    Running running = start(job);
    out.println(
        "Job '" + job.getName() + "' (" + running.jobId() + ") is running; Ctrl-C stops it.");
    out.flush();
    AtomicBoolean stopping = new AtomicBoolean();
    ShutdownHook hook =
        ShutdownHook.add(
            "vaeguard-run-shutdown",
            () -> {
              stopping.set(true);
              running.stop();
            });
    try {
      JobResult result = running.awaitResult();
      if (stopping.get()) {
        return 0; // the hook cancelled the job and stops the cluster
      }
      return report(result);
    } finally {
      if (!stopping.get()) {
        hook.remove();
        closeQuietly(running.cluster);
      }
    }
  }

  /** Starts the cluster and submits {@code job} without waiting for it: the caller stops it. */
  public Running start(JobGraph job) throws Exception {
    checkPortFree(webPort);
    MiniCluster cluster = LoopbackMiniCluster.create(configuration(), slots);
    try {
      cluster.start();
    } catch (Exception e) {
      closeQuietly(cluster);
      if (hasCause(e, BindException.class)) {
        throw portTaken(webPort);
      }
      throw e;
    }
    try {
      int port = cluster.getRestAddress().get().getPort();
      out.println("Flink dashboard: http://" + LOOPBACK + ":" + port);
      out.flush();
      return new Running(cluster, cluster.submitJob(job).get().getJobID(), out);
    } catch (Exception e) {
      closeQuietly(cluster);
      throw e;
    }
  }

  /** A job running on a local cluster. */
  public static final class Running {
    private final MiniCluster cluster;
    private final JobID jobId;
    private final PrintWriter out;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Running(MiniCluster cluster, JobID jobId, PrintWriter out) {
      this.cluster = cluster;
      this.jobId = jobId;
      this.out = out;
    }

    public JobID jobId() {
      return jobId;
    }

    /** Blocks until the job ends (or is cancelled by {@link #stop()}). */
    public JobResult awaitResult() throws Exception {
      return cluster.requestJobResult(jobId).get();
    }

    /** Whether the job is still running (not failed, finished or cancelled). */
    public boolean isRunning() {
      try {
        return !cluster.getJobStatus(jobId).get(10, TimeUnit.SECONDS).isTerminalState();
      } catch (Exception e) {
        return false;
      }
    }

    /** Cancels the job and stops the cluster; safe to call twice. */
    public void stop() {
      if (!stopped.compareAndSet(false, true)) {
        return;
      }
      out.println("Stopping: cancelling the job, then Flink ...");
      out.flush();
      try {
        cluster.cancelJob(jobId).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        cluster.requestJobResult(jobId).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the job may have ended already; the cluster stops either way
      }
      closeQuietly(cluster);
      out.println("Flink stopped.");
      out.flush();
    }
  }

  private int report(JobResult result) {
    if (result.isSuccess()) {
      out.println("Job ended: " + result.getApplicationStatus());
      return 0;
    }
    Throwable cause =
        result
            .getSerializedThrowable()
            .map(t -> t.deserializeError(LocalFlink.class.getClassLoader()))
            .orElse(null);
    out.println("Job ended: " + result.getApplicationStatus());
    if (cause != null) {
      out.println("Cause:");
      cause.printStackTrace(out);
    }
    return 1;
  }

  private static void closeQuietly(MiniCluster cluster) {
    try {
      cluster.closeAsync().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: the JVM is about to end
    }
  }

  static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
