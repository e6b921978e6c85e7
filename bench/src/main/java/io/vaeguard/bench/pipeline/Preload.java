package io.vaeguard.bench.pipeline;

import static io.vaeguard.bench.pipeline.PipelineBenchmarkMain.log;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Fills the input topic before any job runs, so that every variant reads the same records and none
 * competes with a producer for the CPU.
 */
final class Preload {

  private Preload() {}

  /**
   * Sends {@code records} synthetic Observations to {@code topic} as fast as one producer can.
   *
   * @return the report's {@code preload}: seconds and records/s
   */
  static Map<String, Object> run(BenchJobs jobs, String topic, long records) {
    Observations obs = new Observations(100, 100_000, 7);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = jobs.producer(20, 1 << 20)) {
      for (long i = 0; i < records; i++) {
        p.send(new ProducerRecord<>(topic, obs.next()));
      }
      p.flush();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", seconds);
    m.put("recordsPerSecond", records / seconds);
    log(
        String.format(
            Locale.ROOT,
            "pre-loaded %,d Observations in %.1f s (%,.0f records/s)",
            records,
            seconds,
            records / seconds));
    return m;
  }
}
