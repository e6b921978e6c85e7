package io.vaeguard.pipeline.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink MiniCluster in this JVM with every endpoint on 127.0.0.1 only: the one set-up that {@code
 * vaeguard run}, the pipeline benchmark and the tests share.
 *
 * <pre>{@code
 * Configuration conf = LoopbackMiniCluster.configuration(0, 2); // 0: any free REST port
 * try (MiniCluster flink = LoopbackMiniCluster.create(conf, 2)) {
 *   flink.start();
 *   ...
 * }
 * }</pre>
 */
public final class LoopbackMiniCluster {

  /**
   * Every Flink endpoint binds here and only here (the loopback address of {@code local}'s
   * LoopbackPorts; the job jar does not carry that module).
   */
  public static final String HOST = "127.0.0.1";

  /**
   * Room for ONNX Runtime's native allocations (session, arena, tensors) beside Flink's own: task
   * off-heap memory is what Flink budgets for user code that allocates outside the Java heap.
   */
  public static final MemorySize TASK_OFF_HEAP = MemorySize.parse("128m");

  private LoopbackMiniCluster() {}

  /**
   * The cluster's configuration, also the job environment's so the job sees the same.
   *
   * @param restPort the REST endpoint's (dashboard's) port; 0 for any free one (tests, benchmarks:
   *     a fixed port would collide with a dashboard or another run on the machine)
   * @param slots task slots of the one TaskManager
   */
  public static Configuration configuration(int restPort, int slots) {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, HOST);
    conf.set(RestOptions.ADDRESS, HOST);
    conf.set(RestOptions.PORT, restPort);
    conf.set(RestOptions.BIND_PORT, String.valueOf(restPort));
    conf.set(JobManagerOptions.ADDRESS, HOST);
    conf.set(JobManagerOptions.BIND_HOST, HOST);
    conf.set(TaskManagerOptions.HOST, HOST);
    conf.set(TaskManagerOptions.BIND_HOST, HOST);
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    conf.set(TaskManagerOptions.TASK_OFF_HEAP_MEMORY, TASK_OFF_HEAP);
    return conf;
  }

  /** A cluster of one TaskManager with {@code slots} slots on {@code conf}, not started yet. */
  public static MiniCluster create(Configuration conf, int slots) {
    return new MiniCluster(
        new MiniClusterConfiguration.Builder()
            .setConfiguration(conf)
            .setNumTaskManagers(1)
            .setNumSlotsPerTaskManager(slots)
            .setCommonBindAddress(HOST)
            .build());
  }

  /** {@link #create} on {@link #configuration configuration(0, slots)}, started. */
  public static MiniCluster start(int slots) throws Exception {
    MiniCluster flink = create(configuration(0, slots), slots);
    try {
      flink.start();
    } catch (Exception e) {
      flink.close();
      throw e;
    }
    return flink;
  }
}
