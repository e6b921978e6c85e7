package io.vaeguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaeguard.pipeline.config.JobOption;
import io.vaeguard.pipeline.config.JobOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker/ cannot run on the build machines (no Docker engine), so this test reads its files and
 * checks that what they name exists in the repository and fits together: versions, the job jar's
 * name, path and main class, ports, topic names, job flags, configuration paths and the
 * 127.0.0.1-only settings of flink-conf/ that containers must override.
 */
class DockerComposeTest {

  private static final Path HOME =
      Path.of(System.getProperty("vaeguard.home", "..")).toAbsolutePath().normalize();
  private static final Path DOCKER = HOME.resolve("docker");
  private static final String JOB_JAR_IN_IMAGE = "/opt/flink/usrlib/vaeguard-job.jar";
  private static final String JOB_MAIN = "io.vaeguard.pipeline.job.VaeguardJobMain";

  static Map<String, Map<String, Object>> services;
  static String dockerfile;
  static String rootPom;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    try (Reader r =
        Files.newBufferedReader(DOCKER.resolve("docker-compose.yml"), StandardCharsets.UTF_8)) {
      Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      services = (Map<String, Map<String, Object>>) compose.get("services");
      assertThat((Map<String, Object>) compose.get("volumes")).containsKey("flink-data");
    }
    dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    rootPom = Files.readString(HOME.resolve("pom.xml"));
  }

  @Test
  void everyServiceIsThere() {
    assertThat(services)
        .containsOnlyKeys("kafka", "topics", "jobmanager", "taskmanager", "submit", "generator");
  }

  @Test
  void imagesMatchTheVersionsTheProjectBuildsAgainst() {
    String kafka = "apache/kafka:" + property(rootPom, "kafka.version");
    assertThat(services.get("kafka").get("image")).isEqualTo(kafka);
    assertThat(services.get("topics").get("image")).isEqualTo(kafka);

    assertThat(dockerfile)
        .contains("ARG FLINK_VERSION=" + property(rootPom, "flink.version") + "\n")
        .contains("FROM flink:${FLINK_VERSION}-java17\n");

    // one image for every Flink container: the one jobmanager builds from docker/Dockerfile
    Map<String, Object> build = map(services.get("jobmanager").get("build"));
    Path context = DOCKER.resolve(String.valueOf(build.get("context"))).normalize();
    assertThat(context).isEqualTo(HOME);
    assertThat(context.resolve(String.valueOf(build.get("dockerfile"))))
        .isRegularFile()
        .isEqualTo(DOCKER.resolve("Dockerfile"));
    assertThat(context.resolve("docker/Dockerfile.dockerignore")).isRegularFile();
    Object image = services.get("jobmanager").get("image");
    for (String s : List.of("taskmanager", "submit", "generator")) {
      assertThat(services.get(s).get("image")).as("image of %s", s).isEqualTo(image);
    }
  }

  @Test
  void theImageCarriesTheShadedJobJarWithItsMainClass() throws IOException {
    // Dockerfile: built by Maven from the pipeline module, copied to usrlib under its own name
    assertThat(dockerfile)
        .contains("mvn -B -q -DskipTests -pl pipeline -am package")
        .contains(
            "COPY --from=build /src/pipeline/target/vaeguard-job.jar " + JOB_JAR_IN_IMAGE + "\n");
    String pipelinePom = Files.readString(HOME.resolve("pipeline/pom.xml"));
    assertThat(pipelinePom)
        .contains("<outputFile>${project.build.directory}/vaeguard-job.jar</outputFile>")
        .contains("<mainClass>" + JOB_MAIN + "</mainClass>");
    assertThat(sourceOf(JOB_MAIN)).isRegularFile();

    // Files the Dockerfile copies from the context exist
    Matcher copy =
        Pattern.compile("(?m)^COPY (?:--chmod=\\S+ )?(?!--from)(\\S+) ").matcher(dockerfile);
    List<String> copied = new ArrayList<>();
    while (copy.find()) {
      copied.add(copy.group(1));
    }
    assertThat(copied).contains("flink-conf/", "docker/vaeguard-entrypoint.sh", ".");
    copied.forEach(c -> assertThat(HOME.resolve(c)).as("COPY %s", c).exists());
    assertThat(DOCKER.resolve("vaeguard-entrypoint.sh")).isExecutable();

    List<String> submit = strings(services.get("submit").get("command"));
    assertThat(submit.subList(0, 2)).containsExactly("/opt/flink/bin/flink", "run");
    assertThat(valueAfter(submit, "--class")).isEqualTo(JOB_MAIN);
    assertThat(submit).contains(JOB_JAR_IN_IMAGE);

    List<String> generator = strings(services.get("generator").get("entrypoint"));
    assertThat(valueAfter(generator, "-cp")).startsWith(JOB_JAR_IN_IMAGE + ":");
    assertThat(sourceOf(generator.get(generator.size() - 1))).isRegularFile();
  }

  @Test
  void everyJobFlagIsOneTheJobKnowsAndHasAValue() {
    List<String> submit = strings(services.get("submit").get("command"));
    List<String> jobArgs = submit.subList(submit.indexOf(JOB_JAR_IN_IMAGE) + 1, submit.size());
    Set<String> known = JobOptions.ALL.stream().map(JobOption::flag).collect(Collectors.toSet());
    assertThat(jobArgs.size() % 2).as("flag/value pairs: %s", jobArgs).isZero();
    for (int i = 0; i < jobArgs.size(); i += 2) {
      assertThat(known).as("job flag %s", jobArgs.get(i)).contains(jobArgs.get(i));
      assertThat(jobArgs.get(i + 1)).doesNotStartWith("--");
    }
    assertThat(valueAfter(jobArgs, "--model-dir")).isEqualTo("classpath:models/default");
    assertThat(HOME.resolve("models/default")).isDirectory();
  }

  @Test
  void topicsAndBootstrapServersAgree() {
    Map<String, String> kafkaEnv = env("kafka");
    List<String> advertised = List.of(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS").split(","));
    String internal =
        advertised.stream()
            .filter(l -> l.startsWith("PLAINTEXT://"))
            .findFirst()
            .orElseThrow()
            .substring("PLAINTEXT://".length());
    assertThat(internal).startsWith(services.get("kafka").get("hostname") + ":");

    List<String> submit = strings(services.get("submit").get("command"));
    List<String> generator = strings(services.get("generator").get("command"));
    assertThat(valueAfter(submit, "--bootstrap-servers")).isEqualTo(internal);
    assertThat(valueAfter(generator, "--bootstrap-servers")).isEqualTo(internal);

    // the one-shot topics service creates each topic the job and the generator use
    String create = String.join(" ", strings(services.get("topics").get("command")));
    Map<String, Integer> partitions = new HashMap<>();
    Matcher m = Pattern.compile("--topic (\\S+) --partitions (\\d+)").matcher(create);
    while (m.find()) {
      partitions.put(m.group(1), Integer.parseInt(m.group(2)));
      assertThat(create).contains("--bootstrap-server " + internal);
    }
    String input = valueAfter(submit, "--input-topic");
    assertThat(partitions)
        .containsOnlyKeys(
            input, valueAfter(submit, "--alerts-topic"), valueAfter(submit, "--dead-letter-topic"));
    assertThat(valueAfter(generator, "--topic")).isEqualTo(input);
    assertThat(partitions.get(input))
        .as("input partitions for the job's parallelism")
        .isEqualTo(Integer.parseInt(valueAfter(submit, "--parallelism")));
  }

  @Test
  void portsAndConfigurationPathsFit() throws IOException {
    FlinkConfigFile conf = FlinkConfigFile.read(HOME.resolve("flink-conf/config.yaml"));
    String restPort = conf.get("rest.port");
    assertThat(strings(services.get("jobmanager").get("ports")))
        .contains(restPort + ":" + restPort);
    assertThat(String.valueOf(map(services.get("jobmanager").get("healthcheck")).get("test")))
        .contains("/" + restPort);
    assertThat(flinkProperties("submit"))
        .containsEntry("rest.address", "jobmanager")
        .containsEntry("rest.port", restPort);
    assertThat(map(services.get("kafka")).get("ports").toString()).contains("9094:9094");

    // flink-conf is mounted where the entrypoint copies it from, and holds what it copies
    String entrypoint = Files.readString(DOCKER.resolve("vaeguard-entrypoint.sh"));
    assertThat(entrypoint)
        .contains("conf_src=/opt/flink/conf-vaeguard")
        .contains("exec /docker-entrypoint.sh");
    for (String s : List.of("jobmanager", "taskmanager", "submit")) {
      String mount = strings(services.get(s).get("volumes")).get(0);
      String[] parts = mount.split(":");
      assertThat(parts[1]).as("%s mounts flink-conf at", s).isEqualTo("/opt/flink/conf-vaeguard");
      assertThat(parts).as("%s mounts flink-conf read-only", s).endsWith("ro");
      Path host = DOCKER.resolve(parts[0]).normalize();
      assertThat(host).isEqualTo(HOME.resolve("flink-conf"));
      assertThat(host.resolve("config.yaml")).isRegularFile();
      assertThat(host.resolve("log4j.properties")).isRegularFile();
      // the image's start-foreground logs with log4j-console.properties
      assertThat(host.resolve("log4j-console.properties")).isRegularFile();
    }
    for (String s : List.of("jobmanager", "taskmanager")) {
      assertThat(strings(services.get(s).get("volumes"))).contains("flink-data:/opt/flink/data");
      assertThat(flinkProperties(s))
          .containsEntry("execution.checkpointing.dir", "file:///opt/flink/data/checkpoints")
          .containsEntry("jobmanager.rpc.address", "jobmanager");
    }
    assertThat(dockerfile).contains("mkdir -p /opt/flink/data/checkpoints");
  }

  @Test
  void containersOverrideEveryLoopbackOnlySettingOfFlinkConf() {
    FlinkConfigFile conf = FlinkConfigFile.read(HOME.resolve("flink-conf/config.yaml"));
    Set<String> jobManagerKeys =
        Set.of(
            "jobmanager.rpc.address", "jobmanager.bind-host", "rest.address", "rest.bind-address");
    Set<String> taskManagerKeys =
        Set.of("jobmanager.rpc.address", "taskmanager.bind-host", "taskmanager.host");
    for (String key : jobManagerKeys) {
      assertThat(conf.get(key)).as(key).isEqualTo("127.0.0.1");
      assertThat(flinkProperties("jobmanager").get(key))
          .as("jobmanager's %s", key)
          .isNotEqualTo("127.0.0.1")
          .isNotBlank();
    }
    for (String key : taskManagerKeys) {
      assertThat(conf.get(key)).as(key).isEqualTo("127.0.0.1");
      assertThat(flinkProperties("taskmanager").get(key))
          .as("taskmanager's %s", key)
          .isNotEqualTo("127.0.0.1")
          .isNotBlank();
    }
    // left for the image's entrypoint (envsubst), which vaeguard-entrypoint.sh gives CONTAINER_IP
    assertThat(flinkProperties("taskmanager")).containsEntry("taskmanager.host", "${CONTAINER_IP}");
    assertThat(
            Integer.parseInt(flinkProperties("taskmanager").get("taskmanager.numberOfTaskSlots")))
        .isGreaterThanOrEqualTo(
            Integer.parseInt(
                valueAfter(strings(services.get("submit").get("command")), "--parallelism")));
  }

  // ---------------------------------------------------------------- helpers

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as("property %s in pom.xml", name).isTrue();
    return m.group(1).trim();
  }

  private static Path sourceOf(String className) {
    String file = className.replace('.', '/') + ".java";
    return HOME.resolve("pipeline/src/main/java").resolve(file);
  }

  private static String valueAfter(List<String> args, String flag) {
    int i = args.indexOf(flag);
    assertThat(i).as("%s in %s", flag, args).isNotNegative().isLessThan(args.size() - 1);
    return args.get(i + 1);
  }

  /**
   * A service's environment; FLINK_PROPERTIES as Flink's image reads it: one "key: value" a line.
   */
  private static Map<String, String> env(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    // "$$" is compose's escape for a literal "$"
    map(services.get(service).get("environment"))
        .forEach((k, v) -> out.put(k, String.valueOf(v).replace("$$", "$")));
    return out;
  }

  private static Map<String, String> flinkProperties(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : env(service).getOrDefault("FLINK_PROPERTIES", "").split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      assertThat(colon).as("FLINK_PROPERTIES line '%s' of %s", line, service).isPositive();
      out.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  private static List<String> strings(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return ((List<?>) o).stream().map(String::valueOf).toList();
  }
}
