package io.vaeguard.local.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@link LocalKafka}'s admin client on its broker, opened on first use: whether the broker answers,
 * and its topics.
 */
final class BrokerAdmin {
  private final Supplier<String> bootstrapServers;
  private final Path logFile;
  private Admin admin;

  /** {@code bootstrapServers} is read when the client is opened: the port is chosen at start. */
  BrokerAdmin(Supplier<String> bootstrapServers, Path logFile) {
    this.bootstrapServers = bootstrapServers;
    this.logFile = logFile;
  }

  /**
   * Whether the broker answers a describeCluster within {@code timeoutMs} with at least one node.
   *
   * @throws ExecutionException what the request failed with
   */
  boolean answers(int timeoutMs) throws InterruptedException, ExecutionException {
    Collection<Node> nodes =
        admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes().get();
    return !nodes.isEmpty();
  }

  /**
   * Creates topics with {@code partitions} partitions each (replication factor 1) and waits until
   * every partition has a leader; topics that exist already are left as they are.
   */
  void createTopics(int partitions, String... names) {
    List<NewTopic> topics =
        Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList();
    try {
      var results = admin().createTopics(topics).values();
      for (var e : results.entrySet()) {
        try {
          e.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new LocalKafkaException(
                "cannot create topic "
                    + e.getKey()
                    + " on "
                    + bootstrapServers.get()
                    + ": "
                    + ex.getCause(),
                ex.getCause());
          }
        }
      }
      awaitLeaders(List.of(names));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalKafkaException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new LocalKafkaException(
          "creating topics "
              + List.of(names)
              + " on "
              + bootstrapServers.get()
              + " timed out; broker log "
              + logFile,
          e);
    }
  }

  private void awaitLeaders(List<String> names) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin().describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        boolean ready =
            descriptions.values().stream()
                .flatMap(d -> d.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(leader -> leader != null && !leader.isEmpty());
        if (ready && writable(descriptions.values())) {
          return;
        }
      } catch (ExecutionException e) {
        // metadata not propagated yet: UnknownTopicOrPartition
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TimeoutException("partitions of " + names + " have no leader after 30 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Whether the leaders host the partitions already. The metadata can name a leader a moment before
   * that broker has created the partition; an idempotent producer whose first request lands in that
   * moment can lose it for good (KAFKA-15591: its retries fail with OUT_OF_ORDER_SEQUENCE_NUMBER
   * once a later request is appended, until delivery.timeout.ms). ListOffsets is answered by the
   * partition itself, so its success means produce requests will be.
   */
  private boolean writable(Collection<TopicDescription> topics)
      throws InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
    for (TopicDescription d : topics) {
      for (TopicPartitionInfo p : d.partitions()) {
        partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
      }
    }
    try {
      admin().listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException) {
        return false; // not hosted yet
      }
      throw new LocalKafkaException(
          "cannot read the offsets of " + partitions.keySet() + ": " + e.getCause(), e.getCause());
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get());
      p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vaeguard-local-kafka");
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
      p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
      p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
      admin = Admin.create(p);
    }
    return admin;
  }

  /** Closes the client; the next use opens another. */
  synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
      admin = null;
    }
  }
}
