package io.vaeguard.bench.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a job wrote to a topic, read back from the broker: the record count and the first and last
 * record timestamps. On a topic with {@code message.timestamp.type=LogAppendTime} these are the
 * broker's append times, the same clock for every variant.
 */
record TopicSpan(long records, long firstMillis, long lastMillis) {

  long spanMillis() {
    return lastMillis - firstMillis;
  }

  static Properties consumerProperties(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
    return p;
  }

  static TopicSpan read(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(bootstrap))) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long count = 0;
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (TopicPartition tp : parts) {
        long b = begin.get(tp);
        long e = end.get(tp);
        count += e - b;
        if (e > b) {
          first = Math.min(first, timestampAt(c, tp, b));
          last = Math.max(last, timestampAt(c, tp, e - 1));
        }
      }
      if (count == 0) {
        throw new IllegalStateException("the job wrote nothing to " + topic);
      }
      return new TopicSpan(count, first, last);
    }
  }

  /**
   * Calls {@code each(record timestamp, value)} for every record of {@code topic} up to its end at
   * call time.
   */
  static void readAll(String bootstrap, String topic, BiConsumer<Long, byte[]> each) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(bootstrap))) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic + " back took more than 5 minutes");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            each.accept(r.timestamp(), r.value());
          }
        }
      }
    }
  }

  private static long timestampAt(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long offset) {
    c.assign(List.of(tp));
    // The last offsets may be transaction markers: step back until a record shows up.
    for (long o = offset; o >= Math.max(0, offset - 16); o--) {
      c.seek(tp, o);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        var records = c.poll(Duration.ofMillis(200)).records(tp);
        if (!records.isEmpty()) {
          return records.get(0).timestamp();
        }
        if (c.position(tp) > offset) {
          break;
        }
      }
    }
    throw new IllegalStateException("no record at or before offset " + offset + " of " + tp);
  }
}
