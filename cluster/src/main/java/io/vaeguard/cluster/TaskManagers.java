package io.vaeguard.cluster;

import io.vaeguard.local.process.ChildProcessLauncher;
import io.vaeguard.local.process.ManagedProcess;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's TaskManagers by index: {@code taskmanager-N}, N counting up over the cluster's life
 * (an attach carries on from the work directory's record), so that a killed TaskManager's name, log
 * and resource id are not taken by the next one.
 */
final class TaskManagers {
  private static final String PREFIX = ClusterWorkDir.TASKMANAGER_PREFIX;

  private final ChildProcessLauncher children;
  private int lastIndex;

  TaskManagers(ChildProcessLauncher children) {
    this.children = children;
  }

  /** The index of the TaskManager about to be launched. */
  int next() {
    return ++lastIndex;
  }

  /** The highest index so far, as the state file records it. */
  int lastIndex() {
    return lastIndex;
  }

  /** An index found in the work directory: the next one comes after it. */
  void seen(int index) {
    lastIndex = Math.max(lastIndex, index);
  }

  static String name(int index) {
    return PREFIX + index;
  }

  /** Indexes of the TaskManagers started or found, alive or not, in order. */
  List<Integer> indexes() {
    return children.children().stream()
        .map(ManagedProcess::name)
        .filter(n -> n.startsWith(PREFIX))
        .map(n -> Integer.parseInt(n.substring(PREFIX.length())))
        .sorted()
        .toList();
  }

  Optional<ManagedProcess> process(int index) {
    return children.child(name(index));
  }

  /** The newest TaskManager's name, or empty when there is none. */
  Optional<String> newest() {
    List<Integer> all = indexes();
    return all.isEmpty() ? Optional.empty() : Optional.of(name(all.get(all.size() - 1)));
  }

  /** Resource ids of the live ones: a killed one still listed by the JobManager is not. */
  List<String> liveResourceIds() {
    return children.children().stream()
        .filter(c -> c.name().startsWith(PREFIX) && c.isAlive())
        .map(c -> ClusterWorkDir.resourceId(c.name()))
        .toList();
  }
}
