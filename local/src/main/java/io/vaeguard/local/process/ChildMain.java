package io.vaeguard.local.process;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Child side: hands a child JVM over to its real main class, which is on the child's classpath only
 * and so reached by reflection. Copied into the child's launcher directory by {@link LauncherDir}:
 * JDK only, a single class.
 */
public final class ChildMain {
  private ChildMain() {}

  /**
   * Calls {@code MAIN_CLASS.main(ARGS)} for {@code args} = {@code MAIN_CLASS ARGS...}; what it
   * throws is thrown as it is, not wrapped.
   */
  public static void call(String[] args) throws Throwable {
    Class<?> main = Class.forName(args[0]);
    try {
      main.getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
