package io.vaeguard.cluster;

import io.vaeguard.local.process.FlaggedPort;
import io.vaeguard.local.process.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A cluster's configuration as it is written to {@code WORK/conf} on every start: the source {@code
 * config.yaml} with the builder's settings over it and this cluster's ports and directories filled
 * in, beside the source's {@code log4j*.properties} and {@code logback*.xml}.
 *
 * @param file what was written
 * @param restPort the REST and dashboard port chosen
 * @param rpcPort the JobManager RPC port chosen
 */
record ClusterConfig(FlinkConfigFile file, int restPort, int rpcPort) {
  private static final String CONFIG_FILE = FlinkStandaloneCluster.CONFIG_FILE;
  private static final String HOST = LoopbackPorts.HOST;

  /**
   * Writes the configuration of the cluster in {@code files}' directory.
   *
   * @param requestedRestPort -1 for config.yaml's {@code rest.port}, 0 for a free one
   * @param requestedRpcPort -1 for config.yaml's {@code jobmanager.rpc.port}, 0 for a free one
   */
  static ClusterConfig write(
      Path sourceConfDir,
      ClusterWorkDir files,
      Map<String, Object> overrides,
      int requestedRestPort,
      int requestedRpcPort) {
    Path source = sourceConfDir.toAbsolutePath().normalize();
    FlinkConfigFile config = FlinkConfigFile.read(source.resolve(CONFIG_FILE));
    overrides.forEach(config::set);
    int[] ports =
        LoopbackPorts.choose(
            FlinkClusterException::new,
            new FlaggedPort(
                requestedRestPort >= 0 ? requestedRestPort : intValue(config, "rest.port", 8081),
                "--web-port"),
            new FlaggedPort(
                requestedRpcPort >= 0
                    ? requestedRpcPort
                    : intValue(config, "jobmanager.rpc.port", 6123),
                "--rpc-port"));
    int restPort = ports[0];
    int rpcPort = ports[1];
    if (restPort == rpcPort) {
      throw new FlinkClusterException(
          "the REST port and the JobManager RPC port are both "
              + restPort
              + "; give --web-port and --rpc-port different values");
    }
    Path workDir = files.dir();
    copyLogging(source, workDir);
    for (String key :
        List.of(
            "jobmanager.rpc.address",
            "jobmanager.bind-host",
            "taskmanager.bind-host",
            "taskmanager.host",
            "rest.address",
            "rest.bind-address")) {
      config.set(key, HOST);
    }
    config.set("rest.port", restPort);
    config.set("jobmanager.rpc.port", rpcPort);
    config.set("io.tmp.dirs", workDir.resolve("tmp").toString());
    config.set("web.upload.dir", workDir.resolve("web-upload").toString());
    config.set("execution.checkpointing.dir", workDir.resolve("checkpoints").toUri().toString());
    config.set(
        "execution.checkpointing.savepoint-dir", workDir.resolve("savepoints").toUri().toString());
    config.write(
        files.conf().resolve(CONFIG_FILE),
        "written by vaeguard's FlinkStandaloneCluster on every start from "
            + source.resolve(CONFIG_FILE)
            + "\nwith this cluster's ports and directories filled in; edit that file, not this one");
    return new ClusterConfig(config, restPort, rpcPort);
  }

  /** Creates the cluster's directories and copies the logging configuration to conf/. */
  private static void copyLogging(Path source, Path workDir) {
    Path conf = workDir.resolve(ClusterWorkDir.CONF_DIR);
    try {
      for (String dir :
          List.of(
              ClusterWorkDir.CONF_DIR,
              ClusterWorkDir.LOG_DIR,
              "plugins",
              "tmp",
              "web-upload",
              "checkpoints",
              "savepoints")) {
        Files.createDirectories(workDir.resolve(dir));
      }
      boolean log4j = false;
      try (Stream<Path> files = Files.list(source)) {
        for (Path f :
            files
                .filter(
                    p -> p.getFileName().toString().matches("log4j.*\\.properties|logback.*\\.xml"))
                .toList()) {
          Files.copy(f, conf.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          log4j |= f.getFileName().toString().equals("log4j.properties");
        }
      }
      if (!log4j) {
        throw new FlinkClusterException(
            "no log4j.properties in " + source + " (the JobManager's and TaskManagers' logging)");
      }
    } catch (IOException e) {
      throw new FlinkClusterException("cannot prepare " + conf + ": " + e, e);
    }
  }

  private static int intValue(FlinkConfigFile config, String key, int fallback) {
    String v = config.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new FlinkClusterException(key + ": '" + v + "' is not a port number");
    }
  }
}
