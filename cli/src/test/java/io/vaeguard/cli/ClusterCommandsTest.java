package io.vaeguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vaeguard cluster ...} and {@code vaeguard submit} without a real cluster: what they say when
 * nothing runs or a port is taken, and what {@code submit} sends to a JobManager (a stand-in HTTP
 * server that answers like Flink's REST API). The real cluster is tested by vaeguard-cluster's
 * ClusterFailoverITCase.
 */
class ClusterCommandsTest {

  @Test
  void statusOfAnEmptyDirectorySaysStoppedWithExitCode3(@TempDir Path dir) {
    CliRun r = CliRun.of("cluster", "status", "--dir", dir);

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).startsWith("stopped: no Flink cluster recorded in " + dir);
  }

  @Test
  void stopWithNothingRunningIsNotAnError(@TempDir Path dir) {
    CliRun r = CliRun.of("cluster", "stop", "--dir", dir);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("no Flink cluster running in");
  }

  @Test
  void startOnATakenPortIsOneLineThatNamesTheFlag(@TempDir Path dir) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliRun r = CliRun.of("cluster", "start", "--web-port", taken.getLocalPort(), "--dir", dir);

      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines()).containsExactly("cluster start: port " + taken.getLocalPort()
          + " on 127.0.0.1 is in use; pick another with --web-port or stop what holds it");
      assertThat(dir.resolve("jobmanager.pid")).doesNotExist();
    }
  }

  @Test
  void submitWithoutAClusterSaysHowToStartOne(@TempDir Path dir) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    Path jar = Files.write(dir.resolve("job.jar"), new byte[] {1, 2, 3});

    CliRun r = CliRun.of("submit", "--jobmanager", "127.0.0.1:" + port, "--jar", jar, "--input-topic", "x");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("submit: no Flink REST API answers at http://127.0.0.1:" + port)
        .contains("vaeguard cluster start", "--jobmanager");
  }

  @Test
  void submitUploadsTheJarAndPassesEveryOtherFlagToTheJob(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("vaeguard-job.jar"), "not really a jar".getBytes(StandardCharsets.UTF_8));
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer jm = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    jm.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = ex.getRequestURI().getPath();
      requests.add(ex.getRequestMethod() + " " + path + (path.endsWith("/run") ? " " + body : ""));
      switch (ex.getRequestMethod() + " " + path) {
        case "GET /overview" -> answer(ex, 200, "{\"taskmanagers\":1,\"flink-version\":\"2.2.0\"}");
        case "POST /jars/upload" -> answer(ex, 200, body.contains("not really a jar") && body.contains("filename=\"vaeguard-job.jar\"")
            ? "{\"filename\":\"/tmp/up/abc_vaeguard-job.jar\",\"status\":\"success\"}" : "{\"errors\":[\"bad upload\"]}");
        case "POST /jars/abc_vaeguard-job.jar/run" -> answer(ex, 200, "{\"jobid\":\"0123456789abcdef\"}");
        case "DELETE /jars/abc_vaeguard-job.jar" -> answer(ex, 200, "{}");
        default -> answer(ex, 404, "{\"errors\":[\"Not found: " + path + "\"]}");
      }
    });
    jm.start();
    try {
      String address = "127.0.0.1:" + jm.getAddress().getPort();
      CliRun r = CliRun.of("submit", "--jobmanager", address, "--jar", jar, "--wait-seconds", "0",
          "--bootstrap-servers", "127.0.0.1:9092", "--input-topic", "observations", "--parallelism=2");

      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).contains("submitted job 0123456789abcdef to http://" + address);
      assertThat(requests).contains("POST /jars/upload", "DELETE /jars/abc_vaeguard-job.jar");
      assertThat(requests).filteredOn(q -> q.startsWith("POST /jars/abc_vaeguard-job.jar/run")).singleElement()
          .asString()
          .contains("\"entryClass\":\"io.vaeguard.pipeline.job.VaeguardJobMain\"")
          .contains("\"programArgsList\":[\"--bootstrap-servers\",\"127.0.0.1:9092\",\"--input-topic\",\"observations\","
              + "\"--parallelism=2\"]");
    } finally {
      jm.stop(0);
    }
  }

  private static void answer(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
