package io.vaeguard.local.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildMainTest {
  static volatile List<String> received;

  /** A main class for the calls below. */
  public static final class Recorder {
    public static void main(String[] args) {
      received = List.of(args);
    }
  }

  /** A main class that fails. */
  public static final class Thrower {
    public static void main(String[] args) {
      throw new IllegalStateException("boom " + args.length);
    }
  }

  @Test
  void callsTheMainClassWithTheRestOfTheArguments() throws Throwable {
    ChildMain.call(new String[] {Recorder.class.getName(), "--configDir", "/x"});
    assertThat(received).containsExactly("--configDir", "/x");

    ChildMain.call(new String[] {Recorder.class.getName()});
    assertThat(received).isEmpty();
  }

  @Test
  void whatTheMainClassThrowsIsThrownUnwrapped() {
    assertThatThrownBy(() -> ChildMain.call(new String[] {Thrower.class.getName(), "a"}))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("boom 1");
    assertThatThrownBy(() -> ChildMain.call(new String[] {"no.such.Main"}))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
