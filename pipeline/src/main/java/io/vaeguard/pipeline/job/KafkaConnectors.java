package io.vaeguard.pipeline.job;

import io.vaeguard.pipeline.config.DeliveryMode;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.sink.AvroKafkaRecordSerializer;
import io.vaeguard.pipeline.sink.ScoredRowKafkaSerializer;
import io.vaeguard.pipeline.source.RawRecord;
import io.vaeguard.pipeline.source.RawRecordDeserializationSchema;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's real source and sinks: Flink's unified KafkaSource and KafkaSink, configured from the
 * settings.
 */
public final class KafkaConnectors {

  /**
   * Kafka brokers refuse a transaction timeout above their {@code transaction.max.timeout.ms} (15
   * minutes by default) while Flink's default is an hour, so the sink asks for less unless told.
   */
  static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "600000";

  /**
   * Producer settings the sinks use unless the Kafka pass-through sets them. Kafka's 16 KiB batches
   * cost the job more than scoring does: with one Score per input record, a 2-core machine spent
   * its time on produce requests (BENCHMARKS.md, "Kafka client settings"). Batches of up to 256
   * KiB, sent after at most 10 ms, keep the broker at a few hundred requests a second; 10 ms is a
   * tenth of the latency budget.
   */
  static final Map<String, String> SINK_DEFAULTS =
      Map.of("batch.size", "262144", "linger.ms", "10");

  /**
   * Consumer settings of the source unless the pass-through sets them: more records per poll means
   * fewer hand-overs from the fetcher thread to the task thread. Never fetch.min.bytes: waiting for
   * bytes would add its fetch.max.wait.ms to every record's latency on a quiet topic.
   */
  static final Map<String, String> SOURCE_DEFAULTS = Map.of("max.poll.records", "2000");

  private KafkaConnectors() {}

  public static KafkaSource<RawRecord> source(JobConfig cfg) {
    return sourceBuilder(cfg).build();
  }

  /** The source's builder, for callers that add to it (a bounded source in tests, say). */
  public static KafkaSourceBuilder<RawRecord> sourceBuilder(JobConfig cfg) {
    OffsetsInitializer start =
        switch (cfg.startingOffsets()) {
          case EARLIEST -> OffsetsInitializer.earliest();
          case LATEST -> OffsetsInitializer.latest();
          case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(cfg.bootstrapServers())
        .setTopics(cfg.inputTopic())
        .setGroupId(cfg.groupId())
        .setStartingOffsets(start)
        .setDeserializer(new RawRecordDeserializationSchema())
        .setProperties(withDefaults(cfg.kafkaProperties(), SOURCE_DEFAULTS));
  }

  public static VaeguardJob.Sinks sinks(JobConfig cfg) {
    return new VaeguardJob.Sinks(
        sink(cfg, AvroKafkaRecordSerializer.alerts(cfg.alertsTopic()), "alerts"),
        cfg.scoresTopic() == null
            ? null
            : sink(cfg, new ScoredRowKafkaSerializer(cfg.scoresTopic()), "scores"),
        sink(cfg, AvroKafkaRecordSerializer.deadLetters(cfg.deadLetterTopic()), "dead-letters"));
  }

  private static <T> KafkaSink<T> sink(
      JobConfig cfg, KafkaRecordSerializationSchema<T> schema, String name) {
    Properties props = withDefaults(cfg.kafkaProperties(), SINK_DEFAULTS);
    props.putIfAbsent("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
    return KafkaSink.<T>builder()
        .setBootstrapServers(cfg.bootstrapServers())
        .setRecordSerializer(schema)
        .setKafkaProducerConfig(props)
        .setDeliveryGuarantee(guarantee(cfg.delivery()))
        // One prefix per sink: two sinks sharing transactional ids would fence each other.
        .setTransactionalIdPrefix(cfg.transactionalIdPrefix() + "-" + name)
        .build();
  }

  /** {@code props} with each default added where the user set nothing. */
  static Properties withDefaults(Properties props, Map<String, String> defaults) {
    defaults.forEach(props::putIfAbsent);
    return props;
  }

  static DeliveryGuarantee guarantee(DeliveryMode mode) {
    return switch (mode) {
      case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
      case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
      case NONE -> DeliveryGuarantee.NONE;
    };
  }
}
