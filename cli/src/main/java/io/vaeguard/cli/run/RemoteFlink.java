package io.vaeguard.cli.run;

import io.vaeguard.cli.UserError;
import io.vaeguard.pipeline.config.JobConfig;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Submits the job to a running Flink cluster through its REST endpoint, shipping the shaded job
 * jar ({@code pipeline/target/vaeguard-job.jar}) for the TaskManagers' classpath, and returns as
 * soon as the cluster has accepted it.
 */
public final class RemoteFlink {

  private final String host;
  private final int port;
  private final PrintWriter out;

  public RemoteFlink(String hostPort, PrintWriter out) {
    int colon = hostPort.lastIndexOf(':');
    int p = -1;
    if (colon > 0) {
      try {
        p = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        p = -1;
      }
    }
    if (p <= 0 || p > 65535) {
      throw new UserError("--jobmanager: '" + hostPort + "' is not HOST:PORT (the Flink REST endpoint, e.g. "
          + "127.0.0.1:8081)");
    }
    this.host = hostPort.substring(0, colon);
    this.port = p;
    this.out = out;
  }

  /**
   * Builds the job on a remote environment with {@code builder}, submits it as {@code name} with
   * {@code jobJar} for the cluster's classpath, and prints its id and dashboard address. Returns 0.
   */
  public int submit(Path jobJar, Consumer<StreamExecutionEnvironment> builder, String name, JobConfig cfg) throws Exception {
    if (!cfg.modelDir().startsWith("classpath:")) {
      out.println("Note: model.dir " + cfg.modelDir() + " must exist at that path on every TaskManager "
          + "(the job jar carries the default model: --model-dir classpath:models/default).");
    }
    Configuration conf = new Configuration();
    // A cluster that is not there should be one clear line within seconds, not a minute of retries.
    conf.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
    conf.set(RestOptions.RETRY_DELAY, Duration.ofSeconds(1));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment(host, port, conf, jobJar.toString());
    try {
      builder.accept(env);
      JobID id;
      try {
        JobClient client = env.executeAsync(name);
        id = client.getJobID();
        if (client instanceof AutoCloseable c) {
          c.close();
        }
      } catch (Exception e) {
        if (LocalFlink.hasCause(e, ConnectException.class)) {
          throw new UserError("cannot reach the Flink REST endpoint at " + host + ":" + port
              + " (--jobmanager): is the cluster running?");
        }
        throw e;
      }
      out.println("Submitted job '" + name + "' as " + id + " to " + host + ":" + port + " with " + jobJar);
      out.println("Flink dashboard: http://" + host + ":" + port + "/#/job/running/" + id + "/overview");
      return 0;
    } finally {
      env.close();
    }
  }
}
