package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Flink JVM of the cluster and its command line, as Flink's {@code bin/} scripts would make it:
 * heap and memory flags from {@code BashJavaUtils} ({@link FlinkResourceParams}), {@code
 * env.java.opts.all} and the role's own options from the written {@code config.yaml} (the {@code
 * --add-opens} flags Java 17 needs), the log files, then the entrypoint with {@code --configDir}
 * and the dynamic properties.
 *
 * @param name {@code jobmanager} or {@code taskmanager-N}, its log's and PID file's name
 * @param roleOpts {@code env.java.opts.jobmanager} or {@code env.java.opts.taskmanager}
 * @param extraArgs after the dynamic properties
 */
record FlinkProcess(
    String name,
    String mainClass,
    FlinkResourceParams params,
    String roleOpts,
    List<String> extraArgs) {

  static FlinkProcess jobManager(FlinkResourceParams params, String roleOpts) {
    return new FlinkProcess(
        ClusterWorkDir.JOBMANAGER,
        FlinkStandaloneCluster.JOBMANAGER_MAIN,
        params,
        roleOpts,
        List.of());
  }

  /** TaskManager {@code index}, registering under its resource id, which names it across runs. */
  static FlinkProcess taskManager(int index, FlinkResourceParams params, String roleOpts) {
    String name = ClusterWorkDir.TASKMANAGER_PREFIX + index;
    return new FlinkProcess(
        name,
        FlinkStandaloneCluster.TASKMANAGER_MAIN,
        params,
        roleOpts,
        List.of("-D", "taskmanager.resource-id=" + ClusterWorkDir.resourceId(name)));
  }

  /** Started through {@link FlinkProcessMain}, which ends the JVM with its parent's. */
  ChildCommand command(ClusterWorkDir files, Path java, List<String> classpath) {
    Path conf = files.conf();
    FlinkConfigFile config = FlinkConfigFile.read(conf.resolve(FlinkStandaloneCluster.CONFIG_FILE));
    List<String> jvm = new ArrayList<>(params.jvmOptions());
    jvm.addAll(FlinkResourceParams.split(config.get("env.java.opts.all", "")));
    jvm.addAll(FlinkResourceParams.split(roleOpts));
    jvm.add("-Dlog.file=" + files.logFile(name));
    jvm.add("-Dlog4j.configuration=file:" + conf.resolve("log4j.properties"));
    jvm.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
    jvm.add("-Dlogback.configurationFile=file:" + conf.resolve("logback.xml"));
    List<String> args = new ArrayList<>(List.of(mainClass, "--configDir", conf.toString()));
    args.addAll(params.dynamicProperties());
    args.addAll(extraArgs);
    return new ChildCommand(
        java,
        jvm,
        FlinkProcessMain.class,
        FlinkProcessMain.PARENT_PID_PROPERTY,
        args,
        classpath,
        files.environment());
  }
}
