package io.vaeguard.bench.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of {@code vaeguard bench pipeline}: defaults (smaller with {@code --quick}) and
 * one-line errors that name the flag.
 */
record PipelineBenchmarkOptions(
    long records,
    boolean quick,
    Path out,
    String model,
    int warmupSeconds,
    int windowSeconds,
    boolean skipLatency,
    String variants,
    String checkpointMillis,
    Map<String, String> kafka) {

  /**
   * The options, or null after {@code --help} (the usage is printed).
   *
   * @throws IllegalArgumentException on a mistake, naming the flag
   */
  static PipelineBenchmarkOptions parse(String[] args) {
    Long records = null;
    boolean quick = false;
    boolean skipLatency = false;
    Path out = Path.of("work", "bench", "pipeline");
    String model = "models/default";
    Integer warmup = null;
    Integer window = null;
    String variants = "abcd";
    String checkpoint = "10000";
    Map<String, String> kafka = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--records" -> records = number(value(args, ++i, a), a);
        case "--quick" -> quick = true;
        case "--no-latency" -> skipLatency = true;
        case "--variants" -> variants = value(args, ++i, a);
        case "--checkpoint-interval-ms" -> checkpoint = value(args, ++i, a);
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--model" -> model = value(args, ++i, a);
        case "--warmup-seconds" -> warmup = (int) number(value(args, ++i, a), a);
        case "--window-seconds" -> window = (int) Math.max(1, number(value(args, ++i, a), a));
        case "--kafka" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException(
                "--kafka takes KEY=VALUE (a Kafka client setting), got '" + kv + "'");
          }
          kafka.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--help", "-h" -> {
          System.out.println(
              "usage: vaeguard bench pipeline [--records N (default 2000000; 200000 with --quick)] "
                  + "[--quick] [--out DIR] [--model DIR] [--warmup-seconds S] [--window-seconds S] [--no-latency] "
                  + "[--variants abcd (a subset, e.g. b, for profiling)] [--checkpoint-interval-ms MS (default 10000)] "
                  + "[--kafka KEY=VALUE (a Kafka client setting for every job's source and sinks; repeatable)]");
          return null;
        }
        default ->
            throw new IllegalArgumentException(
                "bench pipeline: unknown option " + a + "; see --help");
      }
    }
    long n = records != null ? records : quick ? 200_000 : 2_000_000;
    if (n < 1000) {
      throw new IllegalArgumentException("--records must be at least 1000, got " + n);
    }
    return new PipelineBenchmarkOptions(
        n,
        quick,
        out,
        model,
        warmup != null ? warmup : quick ? 2 : 5,
        window != null ? window : quick ? 6 : 20,
        skipLatency,
        variants,
        checkpoint,
        Map.copyOf(kafka));
  }

  private static long number(String v, String flag) {
    try {
      return Long.parseLong(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + v + "' is not a whole number");
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
