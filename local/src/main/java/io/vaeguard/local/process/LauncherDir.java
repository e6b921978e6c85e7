package io.vaeguard.local.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code WORK/launcher}: the child JVM's entry class and the child-side classes it uses ({@link
 * ParentWatch}, {@link ChildMain}), copied out of the caller's classpath into a directory of their
 * own. That directory goes on the child's classpath, so nothing else of the caller's reaches the
 * child.
 */
public final class LauncherDir {
  static final String NAME = "launcher";

  /** What every entry class may use; each is a single class of JDK-only code. */
  static final List<Class<?>> CHILD_SIDE = List.of(ParentWatch.class, ChildMain.class);

  private LauncherDir() {}

  /**
   * Copies {@code entry}'s class file and the child-side classes to {@code workDir/launcher} (over
   * what is there) and returns that directory. {@code owner}, the launcher, only names where the
   * class files were looked for when one is missing.
   */
  public static Path write(Path workDir, Class<?> entry, Class<?> owner) throws IOException {
    Path dir = workDir.resolve(NAME);
    List<Class<?>> classes = new ArrayList<>();
    classes.add(entry);
    classes.addAll(CHILD_SIDE);
    for (Class<?> c : classes) {
      String name = c.getName().replace('.', '/') + ".class";
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      try (InputStream in = c.getResourceAsStream("/" + name)) {
        if (in == null) {
          throw new IOException(name + " not found next to " + owner.getName());
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }
}
