package io.vaeguard.bench.pipeline;

import io.vaeguard.local.kafka.LocalKafka;
import io.vaeguard.pipeline.config.JobConfig;
import io.vaeguard.pipeline.config.JobOptions;
import io.vaeguard.pipeline.job.KafkaConnectors;
import io.vaeguard.pipeline.job.LoopbackMiniCluster;
import io.vaeguard.pipeline.job.VaeguardJob;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What every run of the benchmark sets up the same way on the one broker: its own output topics and
 * {@link JobConfig}, a fresh MiniCluster, the job submitted on it, and the producers that load the
 * input. The same settings for every variant, so that only the variant differs.
 */
final class BenchJobs {

  private final LocalKafka kafka;
  private final PipelineBenchmarkOptions opts;

  BenchJobs(LocalKafka kafka, PipelineBenchmarkOptions opts) {
    this.kafka = kafka;
    this.opts = opts;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  void createTopics(String... names) {
    kafka.createTopics(names);
  }

  /** Creates the run's scores, alerts and dead-letter topics, named after {@code id}. */
  JobConfig config(String input, String id, String precision, int batchSize) {
    kafka.createTopics("scores-" + id, "alerts-" + id, "dead-" + id);
    JobConfig.Builder b =
        JobConfig.builder()
            .set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
            .set(JobOptions.INPUT_TOPIC, input)
            .set(JobOptions.SCORES_TOPIC, "scores-" + id)
            .set(JobOptions.ALERTS_TOPIC, "alerts-" + id)
            .set(JobOptions.DEAD_LETTER_TOPIC, "dead-" + id)
            .set(JobOptions.GROUP_ID, "bench-" + id)
            .set(JobOptions.STARTING_OFFSETS, "earliest")
            .set(
                JobOptions.MODEL_DIR, Path.of(opts.model()).toAbsolutePath().normalize().toString())
            .set(JobOptions.PRECISION, precision)
            .set(JobOptions.BATCH_SIZE, String.valueOf(batchSize))
            .set(JobOptions.DELIVERY, "at-least-once")
            .set(JobOptions.CHECKPOINT_INTERVAL, opts.checkpointMillis())
            .set(JobOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + id);
    opts.kafka().forEach(b::kafkaProperty);
    return b.build();
  }

  /** A producer of raw values, acks=1, no compression. */
  KafkaProducer<byte[], byte[]> producer(int lingerMs, int batchBytes) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(batchBytes));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(256L << 20));
    return new KafkaProducer<>(p);
  }

  static MiniCluster miniCluster() throws Exception {
    return LoopbackMiniCluster.start(1);
  }

  /** No restarts: a failing job fails its run rather than skewing it. */
  static StreamExecutionEnvironment environment() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    return StreamExecutionEnvironment.getExecutionEnvironment(conf);
  }

  /** Bounded: the source stops at the input's end offsets at start. */
  static JobID submit(MiniCluster flink, JobConfig cfg, boolean passThrough, boolean bounded)
      throws Exception {
    StreamExecutionEnvironment env = environment();
    var source =
        bounded
            ? KafkaConnectors.sourceBuilder(cfg).setBounded(OffsetsInitializer.latest()).build()
            : KafkaConnectors.source(cfg);
    if (passThrough) {
      VaeguardJob.buildPassThrough(env, cfg, source, KafkaConnectors.sinks(cfg));
    } else {
      VaeguardJob.build(env, cfg, source, KafkaConnectors.sinks(cfg));
    }
    return flink.submitJob(env.getStreamGraph()).get(60, TimeUnit.SECONDS).getJobID();
  }
}
