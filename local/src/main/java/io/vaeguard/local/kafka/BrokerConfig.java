package io.vaeguard.local.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * The files {@link LocalKafka} writes for the broker on every start: {@code server.properties}, the
 * Log4j 2 configuration and, for new storage, the arguments of its format.
 */
final class BrokerConfig {
  private static final String HOST = LocalKafka.HOST;

  private BrokerConfig() {}

  /** {@code server.properties}: a single KRaft node on 127.0.0.1, then {@code overrides}. */
  static List<String> serverProperties(
      Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    // static voters: a work directory keeps working when it is restarted on other ports
    p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("log.dirs", dataDir.toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("offsets.topic.segment.bytes", "4194304");
    // transactions on one broker (the Flink exactly-once sink): its state topic must fit one node
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("transaction.state.log.segment.bytes", "4194304");
    // Flink's Kafka sink asks for transaction.timeout.ms up to an hour
    p.put("transaction.max.timeout.ms", "3600000");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.segment.bytes", "16777216");
    // the default 128 MiB would take a quarter of a 512 MiB heap
    p.put("log.cleaner.dedupe.buffer.size", "33554432");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.putAll(overrides);
    List<String> lines = new ArrayList<>();
    lines.add(
        "# written by vaeguard LocalKafka on every start; set extra properties on its builder");
    p.forEach((k, v) -> lines.add(k + "=" + v.replace("\\", "\\\\")));
    return lines;
  }

  /** The broker's Log4j 2 configuration: everything to stdout, which goes to its log. */
  static List<String> log4jProperties() {
    return List.of(
        "status = warn",
        "appender.out.type = Console",
        "appender.out.name = out",
        "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.out.ref = out",
        "logger.request.name = kafka.request.logger",
        "logger.request.level = WARN");
  }

  /**
   * The arguments of {@code kafka.tools.StorageTool} that format new storage for {@code config}
   * under a fresh cluster id, with the given feature levels.
   */
  static List<String> formatArguments(Path config, Map<String, Integer> storageFeatures) {
    List<String> format = new ArrayList<>();
    format.addAll(
        List.of(
            "format",
            "--config",
            config.toString(),
            "--cluster-id",
            Uuid.randomUuid().toString(),
            "--ignore-formatted"));
    storageFeatures.forEach(
        (name, level) -> format.addAll(List.of("--feature", name + "=" + level)));
    return format;
  }
}
