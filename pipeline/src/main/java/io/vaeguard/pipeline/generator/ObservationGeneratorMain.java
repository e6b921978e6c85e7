package io.vaeguard.pipeline.generator;

import io.vaeguard.model.synth.GeneratorConfig;
import io.vaeguard.schema.Observation;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Writes synthetic sensor readings with injected anomalies to Kafka as Avro {@link Observation}s
 * (single-object encoding, keyed by entity so each entity's readings stay in order), at a fixed
 * rate, for the Docker deployment and anyone who wants a live input without the CLI: the same
 * {@link ObservationProducer} as {@code vaeguard generate}, with Kafka's own (longer) client
 * timeouts, since nobody waits at a terminal for it.
 *
 * <pre>{@code
 * java -cp vaeguard-job.jar io.vaeguard.pipeline.generator.ObservationGeneratorMain \
 *     --bootstrap-servers kafka:9092 --topic observations --rate 200
 * }</pre>
 *
 * <p>Flags: {@code --bootstrap-servers} (127.0.0.1:9092), {@code --topic} (observations), {@code
 * --entities} (20), {@code --rate} readings per second (200), {@code --count} readings in all, 0
 * for no end (0), {@code --anomaly-rate} (0.02), {@code --seed} (42). Each reading's label travels
 * in the Observation's labels ({@code anomaly} 0/1 and {@code kind}), which the job ignores.
 */
public final class ObservationGeneratorMain {

  private ObservationGeneratorMain() {}

  public static void main(String[] args) {
    Map<String, String> flags = flags(args);
    String bootstrap = flags.getOrDefault("--bootstrap-servers", "127.0.0.1:9092");
    String topic = flags.getOrDefault("--topic", "observations");
    int entities = Integer.parseInt(flags.getOrDefault("--entities", "20"));
    double rate = Double.parseDouble(flags.getOrDefault("--rate", "200"));
    long count = Long.parseLong(flags.getOrDefault("--count", "0"));
    GeneratorConfig cfg =
        GeneratorConfig.builder()
            .entities(entities)
            .stepMillis(60_000)
            .startMillis(System.currentTimeMillis())
            .seed(Long.parseLong(flags.getOrDefault("--seed", "42")))
            .anomalyRate(Double.parseDouble(flags.getOrDefault("--anomaly-rate", "0.02")))
            .build();
    if (rate <= 0) {
      throw new IllegalArgumentException("--rate must be positive, got " + rate);
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    ObservationProducer producer =
        ObservationProducer.builder(bootstrap, topic, cfg)
            .rate(rate)
            .count(count)
            .progress(out)
            .progressInterval(Duration.ofSeconds(30))
            // an unattended generator rides out a broker that is slow to come up: Kafka's own
            // timeouts
            .kafkaSetting(ProducerConfig.LINGER_MS_CONFIG, "20")
            .kafkaSetting(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000")
            .kafkaSetting(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000")
            .kafkaSetting(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000")
            .build();
    out.printf(
        "generator: %s readings/s of %d entities to %s on %s%n", rate, entities, topic, bootstrap);
    ObservationProducer.Summary s = producer.run();
    out.printf("generator: %d readings written%n", s.sent());
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
      if (!java.util.Set.of(
              "--bootstrap-servers",
              "--topic",
              "--entities",
              "--rate",
              "--count",
              "--anomaly-rate",
              "--seed")
          .contains(k)) {
        throw new IllegalArgumentException(
            "unknown flag "
                + k
                + "; flags are --bootstrap-servers, --topic, --entities,"
                + " --rate, --count, --anomaly-rate, --seed");
      }
    }
    return out;
  }
}
