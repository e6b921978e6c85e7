package io.vaeguard.pipeline.generator;

import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.model.synth.Reading;
import io.vaeguard.model.synth.SyntheticGenerator;
import io.vaeguard.schema.Observation;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes synthetic sensor readings with injected anomalies to Kafka as Avro {@link Observation}s
 * (single-object encoding, keyed by entity so each entity's readings stay in order), at a fixed
 * rate, for the Docker deployment and anyone who wants a live input without the CLI:
 *
 * <pre>{@code
 * java -cp vaeguard-job.jar io.vaeguard.pipeline.generator.ObservationGeneratorMain \
 *     --bootstrap-servers kafka:9092 --topic observations --rate 200
 * }</pre>
 *
 * <p>Flags: {@code --bootstrap-servers} (127.0.0.1:9092), {@code --topic} (observations),
 * {@code --entities} (20), {@code --rate} readings per second (200), {@code --count} readings in all,
 * 0 for no end (0), {@code --anomaly-rate} (0.02), {@code --seed} (42). Each reading's label travels
 * in the Observation's labels ({@code anomaly} 0/1 and {@code kind}), which the job ignores.
 */
public final class ObservationGeneratorMain {

  private ObservationGeneratorMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> flags = flags(args);
    String bootstrap = flags.getOrDefault("--bootstrap-servers", "127.0.0.1:9092");
    String topic = flags.getOrDefault("--topic", "observations");
    int entities = Integer.parseInt(flags.getOrDefault("--entities", "20"));
    double rate = Double.parseDouble(flags.getOrDefault("--rate", "200"));
    long count = Long.parseLong(flags.getOrDefault("--count", "0"));
    GeneratorConfig cfg = GeneratorConfig.builder()
        .entities(entities)
        .stepMillis(60_000)
        .startMillis(System.currentTimeMillis())
        .seed(Long.parseLong(flags.getOrDefault("--seed", "42")))
        .anomalyRate(Double.parseDouble(flags.getOrDefault("--anomaly-rate", "0.02")))
        .build();
    if (rate <= 0) {
      throw new IllegalArgumentException("--rate must be positive, got " + rate);
    }
    SyntheticGenerator gen = new SyntheticGenerator(cfg);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    long nanosPerRecord = (long) (1e9 / rate);
    System.out.printf("generator: %s readings/s of %d entities to %s on %s%n", rate, entities, topic, bootstrap);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      for (long n = 0; count == 0 || n < count; n++) {
        Reading r = gen.next(); // entities in turn: one step of every entity, then the next step
        producer.send(new ProducerRecord<>(topic, r.entityId().getBytes(StandardCharsets.UTF_8), encode(r)));
        long due = start + (n + 1) * nanosPerRecord;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if ((n + 1) % 10_000 == 0) {
          System.out.printf("generator: %d readings written%n", n + 1);
        }
      }
      producer.flush();
    }
  }

  static byte[] encode(Reading r) {
    return LabelledObservations.encode(LabelledObservations.of(r));
  }

  private static Map<String, String> flags(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        out.put(a.substring(0, eq), a.substring(eq + 1));
      } else if (a.startsWith("--") && i + 1 < args.length) {
        out.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException("expected --flag VALUE, got '" + a + "'");
      }
    }
    for (String k : out.keySet()) {
      if (!java.util.Set.of("--bootstrap-servers", "--topic", "--entities", "--rate", "--count", "--anomaly-rate", "--seed")
          .contains(k)) {
        throw new IllegalArgumentException("unknown flag " + k + "; flags are --bootstrap-servers, --topic, --entities,"
            + " --rate, --count, --anomaly-rate, --seed");
      }
    }
    return out;
  }
}
