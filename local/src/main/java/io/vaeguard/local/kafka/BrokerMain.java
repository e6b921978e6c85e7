package io.vaeguard.local.kafka;

import io.vaeguard.local.process.ChildMain;
import io.vaeguard.local.process.ParentWatch;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of the broker JVM started by {@link LocalKafka}; never loaded in the caller's JVM.
 *
 * <p>Runs on the broker's classpath only, so it uses nothing but the JDK (and the child-side
 * classes of {@code io.vaeguard.local.process}) and reaches Kafka by reflection. {@link LocalKafka}
 * copies this class file and those alone into the work directory: keep it a single class (no nested
 * or anonymous classes; lambdas are fine).
 *
 * <p>Arguments: {@code MAIN_CLASS ARGS...}, normally {@code kafka.Kafka server.properties}. Before
 * calling {@code MAIN_CLASS.main(ARGS)} it
 *
 * <ul>
 *   <li>formats the storage when {@code -Dvaeguard.kafka.formatArgs=FILE} is set (arguments to
 *       {@code kafka.tools.StorageTool}, one a line), and exits with the tool's status if
 *       formatting fails;
 *   <li>exits when the process {@code -Dvaeguard.kafka.parentPid=PID} ends, so a test JVM killed
 *       without running its shutdown hooks does not leave a broker behind.
 * </ul>
 */
public final class BrokerMain {
  static final String FORMAT_ARGS_PROPERTY = "vaeguard.kafka.formatArgs";
  static final String PARENT_PID_PROPERTY = "vaeguard.kafka.parentPid";

  private BrokerMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 1) {
      System.err.println("usage: BrokerMain MAIN_CLASS [ARGS...]");
      System.exit(2);
    }
    ParentWatch.start(PARENT_PID_PROPERTY, "shutting the broker down");
    String formatArgs = System.getProperty(FORMAT_ARGS_PROPERTY);
    if (formatArgs != null && !formatArgs.isEmpty()) {
      int status =
          format(
              Files.readAllLines(Path.of(formatArgs), StandardCharsets.UTF_8)
                  .toArray(new String[0]));
      if (status != 0) {
        System.err.println("vaeguard: formatting the Kafka storage failed with status " + status);
        System.exit(status);
      }
    }
    ChildMain.call(args);
  }

  private static int format(String[] toolArgs) throws Throwable {
    System.out.println("vaeguard: kafka.tools.StorageTool " + String.join(" ", toolArgs));
    Class<?> tool = Class.forName("kafka.tools.StorageTool");
    try {
      Object status =
          tool.getMethod("execute", String[].class, PrintStream.class)
              .invoke(null, toolArgs, System.out);
      System.out.flush();
      return (Integer) status;
    } catch (InvocationTargetException e) {
      // TerseFailure and friends: the message is the explanation
      System.err.println("vaeguard: " + e.getCause());
      return 1;
    }
  }
}
