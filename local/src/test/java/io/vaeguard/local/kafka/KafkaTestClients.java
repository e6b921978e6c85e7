package io.vaeguard.local.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Plain Kafka clients for the cluster tests: keyed test input, committed output, the job's
 * progress.
 */
public final class KafkaTestClients {

  /** A record to produce: the key decides the partition, so one entity's records stay in order. */
  public record Keyed(byte[] key, byte[] value) {}

  private KafkaTestClients() {}

  /** Produces unkeyed values (the producer's partitioner spreads them). */
  public static void produceValues(String bootstrap, String topic, List<byte[]> values) {
    produce(bootstrap, topic, values.stream().map(v -> new Keyed(null, v)).toList());
  }

  public static void produce(String bootstrap, String topic, List<Keyed> records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
      for (Keyed r : records) {
        sent.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
      }
      producer.flush();
      // A test that lost input records would fail later with a misleading count: say it here.
      for (int i = 0; i < sent.size(); i++) {
        try {
          sent.get(i).get();
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "record "
                  + i
                  + " of "
                  + sent.size()
                  + " to "
                  + topic
                  + " was not written: "
                  + e.getCause(),
              e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while producing to " + topic, e);
        }
      }
    }
  }

  /**
   * Reads the committed records of every partition of {@code topic} from the start until {@code
   * expected} are there (then {@code settle} longer, to catch extra ones) or the timeout passes.
   */
  public static <T> List<T> readCommitted(
      String bootstrap,
      String topic,
      int expected,
      Duration settle,
      Duration timeout,
      Function<byte[], T> decode) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      long settleUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(decode.apply(r.value()));
        }
        if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
          settleUntil = System.nanoTime() + settle.toNanos();
        }
      }
    }
    return out;
  }

  /**
   * Waits until consumer group {@code group} has committed offsets at the end of every partition of
   * {@code topic}: Flink's Kafka source commits them when a checkpoint completes, so by then every
   * input record went through a completed checkpoint.
   */
  public static void awaitConsumed(String bootstrap, String group, String topic, Duration timeout)
      throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      Map<TopicPartition, Long> end =
          admin
              .listOffsets(
                  partitions.stream()
                      .collect(
                          Collectors.toMap(
                              tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest())))
              .all()
              .get(10, TimeUnit.SECONDS)
              .entrySet()
              .stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      long deadline = System.nanoTime() + timeout.toNanos();
      Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
      while (System.nanoTime() < deadline) {
        committed =
            admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> c = committed;
        if (end.entrySet().stream()
            .allMatch(
                e -> c.get(e.getKey()) != null && c.get(e.getKey()).offset() >= e.getValue())) {
          return;
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException(
          "group "
              + group
              + " did not commit the end offsets "
              + end
              + " of "
              + topic
              + " within "
              + timeout.toSeconds()
              + " s; committed: "
              + committed);
    }
  }
}
