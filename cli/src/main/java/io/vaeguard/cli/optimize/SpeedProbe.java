package io.vaeguard.cli.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaeguard.local.process.ChildJvm;
import io.vaeguard.model.Precision;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.Scaler;
import io.vaeguard.model.scorer.ScorerOptions;
import io.vaeguard.model.scorer.VaeScorer;
import io.vaeguard.train.optimize.Optimizer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Records per second of one model directory at a few batch sizes, measured in a JVM of its own: a
 * JVM that has just trained with PyTorch keeps its OpenMP threads spinning for a while and slows
 * ONNX Runtime next to it (docs/ARCHITECTURE.md, section 5), and each variant deserves the same
 * clean start.
 *
 * <p>{@code java -cp CLASSPATH io.vaeguard.cli.optimize.SpeedProbe DIR PRECISION DEVICE THREADS
 * MILLIS} prints one line of JSON, {@code {"1":records/s,"64":...,"1024":...}} (records/s to 0.1),
 * which {@link #inChildJvm} reads back; the {@link Optimizer} takes that as its {@link
 * Optimizer.SpeedMeasure}. Each batch size gets a warm-up of a quarter of MILLIS, then five rounds
 * of MILLIS / 5; the fastest round counts: on a machine shared with other work, interference only
 * ever slows a round down, so the fastest one is the best estimate of the model's own speed (the
 * same reasoning as timing the minimum). What is timed is {@link VaeScorer#score} on raw rows, as
 * the streaming job calls it: scaling, {@code session.run} and the score arithmetic. Inputs are the
 * card's feature means plus Gaussian noise of one standard deviation, seeded.
 */
public final class SpeedProbe {

  private static final int ROUNDS = 5;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<Integer, Double>> RECORDS_PER_SECOND =
      new TypeReference<>() {};

  private SpeedProbe() {}

  public static void main(String[] args) throws JsonProcessingException {
    if (args.length != 5) {
      System.err.println("usage: SpeedProbe DIR PRECISION DEVICE THREADS MILLIS");
      System.exit(2);
    }
    ScorerOptions opts =
        ScorerOptions.builder().device(args[2]).intraOpThreads(Integer.parseInt(args[3])).build();
    Map<Integer, Double> rps =
        measure(Path.of(args[0]), Precision.parse(args[1]), opts, Integer.parseInt(args[4]));
    System.out.println(toJson(rps));
  }

  /** One line of JSON, records/s rounded to 0.1. */
  static String toJson(Map<Integer, Double> recordsPerSecond) throws JsonProcessingException {
    Map<Integer, Double> rounded = new LinkedHashMap<>();
    recordsPerSecond.forEach((b, r) -> rounded.put(b, Math.round(r * 10) / 10.0));
    return JSON.writeValueAsString(rounded);
  }

  /** Records/s per batch size ({@link Optimizer#SPEED_BATCHES}), measured in this JVM. */
  public static Map<Integer, Double> measure(
      Path dir, Precision p, ScorerOptions opts, int millis) {
    Map<Integer, Double> out = new LinkedHashMap<>();
    try (VaeScorer scorer = VaeScorer.open(dir, p, opts)) {
      ModelCard card = scorer.card();
      for (int batch : Optimizer.SPEED_BATCHES) {
        float[] rows = rows(card, batch);
        run(scorer, rows, batch, millis / 4);
        double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
          rounds[r] = run(scorer, rows, batch, Math.max(1, millis / ROUNDS));
        }
        Arrays.sort(rounds);
        out.put(batch, rounds[ROUNDS - 1]);
      }
    }
    return out;
  }

  /**
   * Runs the probe for {@code dir} in a child JVM with this JVM's class path and returns what it
   * printed.
   *
   * @throws IllegalStateException when the child fails, with its output
   */
  public static Map<Integer, Double> inChildJvm(
      Path dir, Precision p, ScorerOptions opts, int millis) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                SpeedProbe.class.getName(),
                dir.toString(),
                p.id(),
                opts.device(),
                String.valueOf(opts.intraOpThreads()),
                String.valueOf(millis)));
    try {
      // this JVM's class path, through CLASSPATH as ChildJvm passes it (a long -cp crashed ONNX
      // Runtime)
      List<String> classpath =
          Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
      ProcessBuilder pb =
          ChildJvm.builder(cmd, Path.of("").toAbsolutePath(), classpath).redirectErrorStream(true);
      Process proc = pb.start();
      String text;
      try (InputStream in = proc.getInputStream()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!proc.waitFor(10L * millis + 120_000, TimeUnit.MILLISECONDS)) {
        proc.destroyForcibly();
        throw new IllegalStateException("speed probe of " + dir + " did not finish");
      }
      String json = text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
      if (proc.exitValue() != 0 || json == null) {
        throw new IllegalStateException(
            "speed probe of " + dir + " failed (exit " + proc.exitValue() + "): " + text.strip());
      }
      return parse(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "speed probe of " + dir + " printed no readable result: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start the speed probe JVM (" + java + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing " + dir, e);
    }
  }

  static Map<Integer, Double> parse(String json) throws JsonProcessingException {
    return JSON.readValue(json, RECORDS_PER_SECOND);
  }

  private static double run(VaeScorer scorer, float[] rows, int batch, int millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long start = System.nanoTime();
    long calls = 0;
    do {
      scorer.score(rows, batch);
      calls++;
    } while (System.nanoTime() < end);
    return calls * (double) batch / ((System.nanoTime() - start) / 1e9);
  }

  private static float[] rows(ModelCard card, int batch) {
    Random rnd = new Random(1);
    Scaler s = card.scaler();
    int f = card.features().size();
    float[] x = new float[batch * card.inputDim()];
    for (int i = 0; i < x.length; i++) {
      int j = i % card.inputDim() % f;
      x[i] = (float) (s.mean()[j] + s.std()[j] * rnd.nextGaussian());
    }
    return x;
  }
}
