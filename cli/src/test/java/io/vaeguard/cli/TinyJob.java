package io.vaeguard.cli;

import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A job jar's main class for the submission tests ({@link SubmitCommandTest} packs it into a jar):
 * numbers at a slow pace into nothing, under a name that carries the arguments it was given. {@code
 * --bad-flag} fails like a job's bad flag, {@code --help} builds no job, {@code --fail} makes every
 * task fail.
 */
public final class TinyJob {

  private TinyJob() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    if (a.contains("--bad-flag")) {
      throw new IllegalArgumentException("--bad-flag: not a flag of this job");
    }
    if (a.contains("--help")) {
      System.out.println("usage: a job's own help, and no job");
      return;
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.fromSequence(0, Long.MAX_VALUE)
        .map(new Pace(a.contains("--fail")))
        .sinkTo(new DiscardingSink<>());
    env.execute("tiny " + String.join(" ", args));
  }

  /** Ten records a second per subtask, or a failure before the task runs. */
  static final class Pace extends RichMapFunction<Long, Long> {
    private final boolean fail;

    Pace(boolean fail) {
      this.fail = fail;
    }

    @Override
    public void open(OpenContext context) {
      // while the task initialises: it never gets to RUNNING, so no wait can see it run
      if (fail) {
        throw new IllegalStateException("boom: this task was told to fail");
      }
    }

    @Override
    public Long map(Long value) throws Exception {
      Thread.sleep(100);
      return value;
    }
  }
}
