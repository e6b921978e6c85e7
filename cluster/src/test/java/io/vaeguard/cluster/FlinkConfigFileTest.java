package io.vaeguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkConfigFileTest {

  @Test
  void nestedAndFlatKeysReadAlikeAndAreWrittenFlat(@TempDir Path dir) throws IOException {
    Path in =
        Files.writeString(
            dir.resolve("config.yaml"),
            """
        rest:
          port: 8081
          bind-address: 127.0.0.1
        taskmanager.numberOfTaskSlots: 2
        env.java.opts.all: --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
        pipeline.jars: [a.jar, b.jar]
        """);

    FlinkConfigFile conf = FlinkConfigFile.read(in);
    conf.set("rest.port", 18081).set("io.tmp.dirs", "/tmp/x y");
    Path out = dir.resolve("out.yaml");
    conf.write(out, "first line\nsecond line");

    assertThat(conf.get("rest.bind-address")).isEqualTo("127.0.0.1");
    assertThat(conf.get("pipeline.jars")).isEqualTo("a.jar;b.jar");
    assertThat(conf.get("missing", "fallback")).isEqualTo("fallback");
    String text = Files.readString(out);
    assertThat(text)
        .startsWith("# first line\n# second line\n")
        .contains(
            "rest.port: 18081\n",
            "taskmanager.numberOfTaskSlots: 2\n",
            "env.java.opts.all: --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED\n");
    FlinkConfigFile again = FlinkConfigFile.read(out);
    assertThat(again.asMap())
        .containsOnlyKeys(
            "rest.port",
            "rest.bind-address",
            "taskmanager.numberOfTaskSlots",
            "env.java.opts.all",
            "pipeline.jars",
            "io.tmp.dirs");
    assertThat(again.get("io.tmp.dirs")).isEqualTo("/tmp/x y");
  }

  @Test
  void aFileThatIsNotKeyValuePairsIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
    Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "rest:\n  port: [8081\n");

    assertThatThrownBy(() -> FlinkConfigFile.read(list))
        .isInstanceOf(FlinkClusterException.class)
        .hasMessageContaining(list.toString())
        .hasMessageContaining("key: value");
    assertThatThrownBy(() -> FlinkConfigFile.read(broken))
        .isInstanceOf(FlinkClusterException.class)
        .hasMessageStartingWith(broken + " is not valid YAML");
    assertThatThrownBy(() -> FlinkConfigFile.read(dir.resolve("none.yaml")))
        .isInstanceOf(FlinkClusterException.class)
        .hasMessage("no Flink configuration at " + dir.resolve("none.yaml"));
  }
}
