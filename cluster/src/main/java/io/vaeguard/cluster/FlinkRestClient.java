package io.vaeguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The few calls of Flink's REST API (the one the web dashboard uses) that {@link
 * FlinkStandaloneCluster} needs to see its cluster come up (the API answers, the TaskManagers are
 * registered), and that the cluster's tests use on it: upload a jar once and run it many times, job
 * state, exceptions, cancel.
 *
 * <p>Not a way to submit vaeguard's job: {@code vaeguard submit} and {@code vaeguard run
 * --jobmanager} both go through {@code io.vaeguard.cli.run.RemoteFlink} on Flink's own {@code
 * RestClusterClient}. This class stays on the JDK's HTTP client only because this module keeps
 * Flink off its compile classpath (see its pom: Flink's jars are the cluster JVMs' classpath, not
 * the caller's); with flink-clients on it, these calls map onto {@code RestClusterClient} one to
 * one ({@code getClusterOverview}, {@code TaskManagersHeaders}, {@code getJobStatus}, {@code
 * getJobDetails}, {@code JobExceptionsHeaders}, {@code cancel}) and this class can go.
 *
 * <pre>{@code
 * FlinkRestClient rest = FlinkRestClient.forAddress("127.0.0.1:8081");
 * String jarId = rest.uploadJar(Path.of("pipeline/target/vaeguard-job.jar"));
 * String jobId = rest.runJar(jarId, MAIN, List.of("--parallelism", "2"), null);
 * rest.awaitRunning(jobId, Duration.ofSeconds(60));
 * }</pre>
 *
 * <p>Every failure is a {@link FlinkClusterException} whose message names the address and, when the
 * JobManager gave one, its own error.
 */
public final class FlinkRestClient {

  /**
   * Job states after which a job does not run again: Flink's globally terminal {@code JobStatus}es.
   * SUSPENDED is only locally terminal: the JobManager let go of the job, and the one that takes
   * over (with high availability) runs it on.
   */
  public static final Set<String> TERMINAL_STATES = Set.of("FAILED", "CANCELED", "FINISHED");

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(3);

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  private FlinkRestClient(URI base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** {@code host:port} or {@code http://host:port}. */
  public static FlinkRestClient forAddress(String address) {
    Objects.requireNonNull(address, "address");
    String a = address.strip();
    if (!a.contains("://")) {
      a = "http://" + a;
    }
    URI uri;
    try {
      uri = URI.create(a.endsWith("/") ? a.substring(0, a.length() - 1) : a);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + address + "' is not a JobManager address (HOST:PORT)");
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException(
          "'" + address + "' is not a JobManager address (HOST:PORT, e.g. 127.0.0.1:8081)");
    }
    return new FlinkRestClient(uri);
  }

  public URI baseUri() {
    return base;
  }

  // ---------------------------------------------------------------- cluster

  /** Whether the REST API answers {@code GET /overview} now. */
  public boolean isUp() {
    try {
      get("/overview");
      return true;
    } catch (FlinkClusterException e) {
      return false;
    }
  }

  /** A TaskManager as the ResourceManager sees it. */
  public record TaskManagerInfo(String id, int slots, int freeSlots) {}

  /**
   * {@code GET /taskmanagers}: the registered TaskManagers (a lost one stays until its heartbeat
   * times out).
   */
  public List<TaskManagerInfo> taskManagers() {
    List<TaskManagerInfo> out = new ArrayList<>();
    for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
      out.add(
          new TaskManagerInfo(
              tm.path("id").asText(),
              tm.path("slotsNumber").asInt(),
              tm.path("freeSlots").asInt()));
    }
    return out;
  }

  // ---------------------------------------------------------------- jars and jobs

  /** Uploads a job jar ({@code POST /jars/upload}, multipart) and returns its jar id. */
  public String uploadJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new FlinkClusterException("no job jar at " + jar);
    }
    String boundary = "vaeguard-" + UUID.randomUUID();
    String head =
        "--"
            + boundary
            + "\r\n"
            + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
            + jar.getFileName()
            + "\"\r\n"
            + "Content-Type: application/x-java-archive\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    HttpRequest.BodyPublisher body;
    try {
      body =
          HttpRequest.BodyPublishers.concat(
              HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
              HttpRequest.BodyPublishers.ofFile(jar),
              HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FlinkClusterException("cannot read " + jar + ": " + e.getMessage(), e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri("/jars/upload"))
            .timeout(SUBMIT_TIMEOUT)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(body)
            .build();
    JsonNode response = send(request, "upload " + jar.getFileName());
    String file = response.path("filename").asText("");
    if (!"success".equals(response.path("status").asText()) || file.isEmpty()) {
      throw new FlinkClusterException("uploading " + jar + " to " + base + " failed: " + response);
    }
    return file.substring(file.lastIndexOf('/') + 1);
  }

  /**
   * Runs an uploaded jar ({@code POST /jars/{id}/run}): the JobManager calls {@code entryClass}'s
   * main with {@code args} and returns the id of the job it submitted.
   *
   * @param parallelism the job's default parallelism, or null for the cluster's
   */
  public String runJar(String jarId, String entryClass, List<String> args, Integer parallelism) {
    ObjectNode body = json.createObjectNode();
    if (entryClass != null) {
      body.put("entryClass", entryClass);
    }
    ArrayNode list = body.putArray("programArgsList");
    args.forEach(list::add);
    if (parallelism != null) {
      body.put("parallelism", parallelism);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
            .timeout(SUBMIT_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    JsonNode response = send(request, "run " + entryClass);
    String jobId = response.path("jobid").asText("");
    if (jobId.isEmpty()) {
      throw new FlinkClusterException(
          "running " + entryClass + " on " + base + " returned no job id: " + response);
    }
    return jobId;
  }

  /** {@code GET /jobs/{id}}: state, vertices with their tasks per state, ... */
  private JsonNode job(String jobId) {
    return get("/jobs/" + jobId);
  }

  /** The job's state: CREATED, RUNNING, RESTARTING, FAILED, CANCELED, FINISHED, ... */
  public String jobState(String jobId) {
    return job(jobId).path("state").asText();
  }

  /**
   * Whether the job is RUNNING and every one of its tasks too (not just scheduled or deploying).
   */
  static boolean allTasksRunning(JsonNode job) {
    if (!"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    for (JsonNode v : job.path("vertices")) {
      int running = v.path("tasks").path("RUNNING").asInt();
      if (running != v.path("parallelism").asInt()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until the job and all its tasks run; fails at once when the job reaches a terminal state,
   * with its root exception.
   */
  public void awaitRunning(String jobId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "";
    while (System.nanoTime() - deadline < 0) {
      JsonNode job = job(jobId);
      state = job.path("state").asText();
      if (TERMINAL_STATES.contains(state)) {
        throw new FlinkClusterException("job " + jobId + " is " + state + rootCause(jobId));
      }
      if (allTasksRunning(job)) {
        return;
      }
      sleep(250);
    }
    throw new FlinkClusterException(
        "job "
            + jobId
            + " did not have all tasks RUNNING within "
            + timeout.toSeconds()
            + " s (state "
            + state
            + ")"
            + rootCause(jobId));
  }

  /** Waits for one of {@code states}; returns the state reached. */
  private String awaitState(String jobId, Set<String> states, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state;
    do {
      state = jobState(jobId);
      if (states.contains(state)) {
        return state;
      }
      sleep(250);
    } while (System.nanoTime() - deadline < 0);
    throw new FlinkClusterException(
        "job "
            + jobId
            + " is "
            + state
            + ", not "
            + states
            + " after "
            + timeout.toSeconds()
            + " s");
  }

  /**
   * Failures the job went through, newest first: one line each (exception and where it happened).
   */
  public List<String> exceptionHistory(String jobId) {
    List<String> out = new ArrayList<>();
    for (JsonNode e :
        get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
      String where = e.path("taskName").asText("");
      out.add(
          e.path("exceptionName").asText()
              + (where.isEmpty() ? "" : " in " + where)
              + ": "
              + firstLine(e.path("stacktrace").asText("")));
    }
    return out;
  }

  /**
   * Cancels the job ({@code PATCH /jobs/{id}?mode=cancel}) and waits until it is CANCELED or
   * otherwise over.
   */
  public void cancel(String jobId, Duration timeout) {
    send(
        HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
            .timeout(REQUEST_TIMEOUT)
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .build(),
        "cancel job " + jobId);
    awaitState(jobId, TERMINAL_STATES, timeout);
  }

  // ---------------------------------------------------------------- plumbing

  private JsonNode get(String path) {
    return send(
        HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build(), "GET " + path);
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private JsonNode send(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new FlinkClusterException(
          "no Flink REST API answers at "
              + base
              + " ("
              + what
              + "): start a cluster with"
              + " `vaeguard cluster start` or give the JobManager's address with --jobmanager HOST:PORT",
          e);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "talking to the Flink REST API at " + base + " failed (" + what + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("interrupted while talking to " + base, e);
    }
    JsonNode body;
    try {
      body = response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
    } catch (IOException e) {
      body = json.createObjectNode().put("text", response.body());
    }
    if (response.statusCode() / 100 != 2) {
      throw new FlinkClusterException(
          what
              + " at "
              + base
              + " failed with HTTP "
              + response.statusCode()
              + ": "
              + errorMessage(body));
    }
    return body;
  }

  /**
   * Flink answers errors with {@code {"errors": [...]}}, the first often a whole stack trace: keep
   * the messages that explain it (the innermost "Caused by" lines).
   */
  static String errorMessage(JsonNode body) {
    JsonNode errors = body.path("errors");
    if (!errors.isArray() || errors.isEmpty()) {
      return body.toString();
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode e : errors) {
      String text = e.asText();
      String cause = null;
      for (String line : text.split("\\R")) {
        String l = line.strip();
        if (l.startsWith("Caused by: ")) {
          cause = l.substring("Caused by: ".length());
        }
      }
      parts.add(cause != null ? cause : firstLine(text));
    }
    return String.join("; ", parts);
  }

  private String rootCause(String jobId) {
    try {
      JsonNode root =
          get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
      if (root.isArray() && !root.isEmpty()) {
        String name = root.get(0).path("exceptionName").asText();
        String first = firstLine(root.get(0).path("stacktrace").asText(""));
        return "; last failure: " + (first.startsWith(name) ? first : name + ": " + first);
      }
    } catch (FlinkClusterException ignored) {
      // the message is good without it
    }
    return "";
  }

  private static String firstLine(String text) {
    String t = text.strip();
    int nl = t.indexOf('\n');
    return (nl < 0 ? t : t.substring(0, nl)).strip();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("interrupted while waiting for the Flink cluster", e);
    }
  }

  @Override
  public String toString() {
    return "FlinkRestClient[" + base + "]";
  }
}
