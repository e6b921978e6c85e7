package io.vaeguard.local.process;

import java.util.Arrays;
import java.util.List;

/**
 * Entry class of the child JVMs that {@link ChildJvmTest} starts, as BrokerMain is the broker's:
 * JDK and the child-side classes only, copied alone by {@link LauncherDir}. {@code TestChild
 * MAIN_CLASS ARGS...} watches the parent and hands over to MAIN_CLASS; {@code TestChild echo
 * ARGS...} (what it hands over to, itself) prints what the tests check, and with {@code wait} among
 * the arguments then sleeps for a minute.
 */
public final class TestChild {
  static final String PARENT_PID_PROPERTY = "vaeguard.test.parentPid";

  private TestChild() {}

  public static void main(String[] args) throws Throwable {
    if (args.length > 0 && args[0].equals("echo")) {
      List<String> rest = Arrays.asList(args).subList(1, args.length);
      System.out.println("echo " + String.join(" ", rest));
      System.out.println("class path " + System.getProperty("java.class.path"));
      System.out.println("stdin " + System.in.read());
      System.out.flush();
      if (rest.contains("wait")) {
        Thread.sleep(60_000);
      }
      return;
    }
    ParentWatch.start(PARENT_PID_PROPERTY, "shutting the test child down");
    ChildMain.call(args);
  }
}
