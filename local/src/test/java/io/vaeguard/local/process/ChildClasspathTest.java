package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With LocalKafka's words, so the messages are checked as the broker's launcher shows them. */
class ChildClasspathTest {
  private static final String PROPERTY = "vaeguard.test.classpath";
  private static final String ENV = "VAEGUARD_TEST_CLASSPATH_NEVER_SET";
  private static final String REBUILD =
      "; rebuild vaeguard-local with `mvn -B -pl local process-resources` so Maven downloads them"
          + " and rewrites the list";

  @AfterEach
  void clearProperty() {
    System.clearProperty(PROPERTY);
  }

  private static ChildClasspath from(String resource) {
    return new ChildClasspath(
        "Kafka broker classpath",
        "local",
        PROPERTY,
        ENV,
        ChildClasspathTest.class,
        resource,
        IllegalStateException::new);
  }

  @Test
  void thePropertyComesFirstAndItsEntriesAreTrimmed(@TempDir Path dir) throws IOException {
    Path a = Files.createFile(dir.resolve("a.jar"));
    Path b = Files.createDirectories(dir.resolve("classes"));
    String sep = File.pathSeparator;
    System.setProperty(PROPERTY, " " + a + " " + sep + sep + b + "\n");

    assertThat(from("test-classpath.txt").resolve()).containsExactly(a.toString(), b.toString());
  }

  @Test
  void missingJarsAreCountedAndTheFirstNamed(@TempDir Path dir) throws IOException {
    Path a = Files.createFile(dir.resolve("a.jar"));
    Path gone = dir.resolve("gone.jar");
    System.setProperty(PROPERTY, a + File.pathSeparator + gone);

    assertThatThrownBy(() -> from("test-classpath.txt").resolve())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "1 of 2 jars on the Kafka broker classpath from -D"
                + PROPERTY
                + " are missing (first: "
                + gone
                + ")"
                + REBUILD);
  }

  @Test
  void aListOfNothingIsEmpty() {
    System.setProperty(PROPERTY, " " + File.pathSeparator + " ");

    assertThatThrownBy(() -> from("test-classpath.txt").resolve())
        .hasMessage("the Kafka broker classpath from -D" + PROPERTY + " is empty" + REBUILD);
  }

  @Test
  void withoutPropertyAndVariableTheBuildsListIsRead() {
    assertThat(from("test-classpath.txt").resolve()).containsExactly("/");
    assertThatThrownBy(() -> from("test-classpath-missing.txt").resolve())
        .hasMessage(
            "1 of 2 jars on the Kafka broker classpath from test-classpath-missing.txt (written by"
                + " vaeguard-local's build) are missing (first: /no/such/dir/a.jar)"
                + REBUILD);
  }

  @Test
  void aMissingListSaysHowToBuildIt() {
    assertThatThrownBy(() -> from("no-such-classpath.txt").resolve())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the Kafka broker classpath io/vaeguard/local/process/no-such-classpath.txt is not on"
                + " the classpath: build vaeguard-local with `mvn -B -pl local process-resources`"
                + " (any later phase will do), or set "
                + ENV);
  }
}
