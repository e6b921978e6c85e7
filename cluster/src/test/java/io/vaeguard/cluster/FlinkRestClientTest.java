package io.vaeguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FlinkRestClient} against a stand-in HTTP server that answers like Flink's REST API: which
 * job states end a wait (Flink's globally terminal ones, not SUSPENDED) and what the launcher's
 * readiness calls read.
 */
class FlinkRestClientTest {

  private static final String JOB = "0123456789abcdef0123456789abcdef";

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aSuspendedJobIsWaitedForLikeARestartingOne() {
    Iterator<String> states = List.of("SUSPENDED", "SUSPENDED", "RESTARTING", "RUNNING").iterator();
    FlinkRestClient rest =
        serve(
            path ->
                switch (path) {
                  case "/jobs/" + JOB -> job(states.hasNext() ? states.next() : "RUNNING", 2);
                  default -> null;
                });

    rest.awaitRunning(JOB, Duration.ofSeconds(30));

    assertThat(states).isExhausted();
  }

  @Test
  void aFailedJobEndsTheWaitWithItsLastFailure() {
    FlinkRestClient rest =
        serve(
            path ->
                switch (path) {
                  case "/jobs/" + JOB -> job("FAILED", 0);
                  case "/jobs/" + JOB + "/exceptions" ->
                      """
          {"exceptionHistory": {"entries": [{"exceptionName": "java.lang.IllegalStateException",
            "stacktrace": "java.lang.IllegalStateException: boom\\n\\tat x.Y.z(Y.java:1)", "taskName": "Map"}]}}""";
                  default -> null;
                });

    assertThatThrownBy(() -> rest.awaitRunning(JOB, Duration.ofSeconds(30)))
        .isInstanceOf(FlinkClusterException.class)
        .hasMessage(
            "job " + JOB + " is FAILED; last failure: java.lang.IllegalStateException: boom");
  }

  @Test
  void theTerminalStatesAreFlinksGloballyTerminalOnes() {
    assertThat(FlinkRestClient.TERMINAL_STATES)
        .containsExactlyInAnyOrder("FAILED", "CANCELED", "FINISHED");
  }

  @Test
  void readinessReadsTheOverviewAndTheRegisteredTaskManagers() throws IOException {
    FlinkRestClient rest =
        serve(
            path ->
                switch (path) {
                  case "/overview" -> "{\"taskmanagers\": 2, \"flink-version\": \"2.2.0\"}";
                  case "/taskmanagers" ->
                      """
          {"taskmanagers": [{"id": "tm-1", "slotsNumber": 1, "freeSlots": 0},
                            {"id": "tm-2", "slotsNumber": 2, "freeSlots": 2}]}""";
                  default -> null;
                });

    assertThat(rest.isUp()).isTrue();
    assertThat(rest.taskManagers())
        .containsExactly(
            new FlinkRestClient.TaskManagerInfo("tm-1", 1, 0),
            new FlinkRestClient.TaskManagerInfo("tm-2", 2, 2));

    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    assertThat(FlinkRestClient.forAddress("127.0.0.1:" + closed).isUp()).isFalse();
  }

  /** A job of one vertex whose {@code running} of 2 tasks run. */
  private static String job(String state, int running) {
    return "{\"state\": \""
        + state
        + "\", \"vertices\": [{\"parallelism\": 2, \"tasks\": {\"RUNNING\": "
        + running
        + ", \"DEPLOYING\": "
        + (2 - running)
        + "}}]}";
  }

  /** A stand-in REST API: {@code answers} gives the JSON of a GET path, or null for a 404. */
  private FlinkRestClient serve(Function<String, String> answers) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext(
        "/",
        ex -> {
          String body = answers.apply(ex.getRequestURI().getPath());
          answer(
              ex, body == null ? 404 : 200, body == null ? "{\"errors\": [\"Not found\"]}" : body);
        });
    server.start();
    return FlinkRestClient.forAddress("127.0.0.1:" + server.getAddress().getPort());
  }

  private static void answer(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
