package io.vaeguard.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.cli.run.RemoteFlink.Progress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.instance.SlotSharingGroupId;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo.JobVertexDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.metrics.IOMetricsInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How {@link RemoteFlink} reads a job's state while it waits for the job to run. */
class RemoteFlinkTest {

  private static final List<JobVertexDetailsInfo> ALL_RUNNING =
      List.of(
          vertex(2, Map.of(ExecutionState.RUNNING, 2)),
          vertex(1, Map.of(ExecutionState.RUNNING, 1)));

  @Test
  void onlyFlinksGloballyTerminalStatesEndTheWait() {
    for (JobStatus s : EnumSet.of(JobStatus.FAILED, JobStatus.CANCELED, JobStatus.FINISHED)) {
      assertThat(RemoteFlink.progress(s, ALL_RUNNING)).as(s.name()).isEqualTo(Progress.OVER);
    }
  }

  @Test
  void aSuspendedJobIsWaitedForNotGivenUp() {
    // SUSPENDED is terminal only for this JobManager: with high availability another one takes
    // over.
    assertThat(JobStatus.SUSPENDED.isTerminalState()).isTrue();
    assertThat(RemoteFlink.progress(JobStatus.SUSPENDED, ALL_RUNNING)).isEqualTo(Progress.WAITING);
  }

  @ParameterizedTest
  @EnumSource(
      value = JobStatus.class,
      names = {
        "INITIALIZING",
        "CREATED",
        "RESTARTING",
        "FAILING",
        "CANCELLING",
        "RECONCILING",
        "SUSPENDED"
      })
  void everyStateOnTheWayIsWaiting(JobStatus s) {
    assertThat(RemoteFlink.progress(s, ALL_RUNNING)).isEqualTo(Progress.WAITING);
  }

  @Test
  void everyJobStatusIsMapped() {
    // a JobStatus added by a later Flink lands in one of the three, never in an exception
    assertThat(Arrays.stream(JobStatus.values()).map(s -> RemoteFlink.progress(s, ALL_RUNNING)))
        .doesNotContainNull();
  }

  @Test
  void aRunningJobRunsOnlyWhenEveryTaskOfEveryVertexDoes() {
    assertThat(RemoteFlink.progress(JobStatus.RUNNING, ALL_RUNNING)).isEqualTo(Progress.RUNNING);
    assertThat(RemoteFlink.progress(JobStatus.RUNNING, List.of())).isEqualTo(Progress.RUNNING);

    List<JobVertexDetailsInfo> deploying =
        List.of(
            vertex(2, Map.of(ExecutionState.RUNNING, 1, ExecutionState.DEPLOYING, 1)),
            vertex(1, Map.of(ExecutionState.RUNNING, 1)));
    assertThat(RemoteFlink.progress(JobStatus.RUNNING, deploying)).isEqualTo(Progress.WAITING);
    List<JobVertexDetailsInfo> scheduled = List.of(vertex(2, Map.of(ExecutionState.SCHEDULED, 2)));
    assertThat(RemoteFlink.progress(JobStatus.RUNNING, scheduled)).isEqualTo(Progress.WAITING);
  }

  @Test
  void aFailureIsItsInnermostCause() {
    String trace =
        """
        org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy
        \tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(X.java:1)
        Caused by: java.lang.RuntimeException: wrapped
        \t... 3 more
        Caused by: java.lang.IllegalStateException: boom
        \tat io.vaeguard.Job.map(Job.java:2)
        """;

    assertThat(RemoteFlink.innermostCause(trace, "JobException"))
        .isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(
            RemoteFlink.innermostCause(
                "java.io.IOException: disk\n\tat x.y(Z.java:1)", "IOException"))
        .isEqualTo("java.io.IOException: disk");
    assertThat(RemoteFlink.innermostCause("", "IOException")).isEqualTo("IOException");
  }

  private static JobVertexDetailsInfo vertex(int parallelism, Map<ExecutionState, Integer> tasks) {
    return new JobVertexDetailsInfo(
        new JobVertexID(),
        new SlotSharingGroupId(),
        "vertex",
        128,
        parallelism,
        ExecutionState.RUNNING,
        0,
        -1,
        0,
        tasks,
        new IOMetricsInfo(0, true, 0, true, 0, true, 0, true, 0, 0, 0));
  }
}
