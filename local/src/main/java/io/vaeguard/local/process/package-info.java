/**
 * The plumbing shared by the launchers of vaeguard's long-running child JVMs (the Kafka broker of
 * {@code io.vaeguard.local.kafka.LocalKafka}, the Flink processes of {@code
 * io.vaeguard.cluster.FlinkStandaloneCluster}): starting a JVM, the classes it runs before its real
 * main, stopping its process tree, and the files through which other processes find it.
 *
 * <p>{@link ChildProcessLauncher} is the one lifecycle of those children (start guard, launch,
 * readiness, destroy on failure, bind-error mapping, stop, shutdown hook); a launcher supplies each
 * child's {@link ChildCommand}, a readiness probe and a {@link ChildProcessSpec} (its records and
 * error words), and takes its common settings through {@link LauncherBuilder}.
 *
 * <p>{@link ParentWatch} and {@link ChildMain} run inside the child JVMs, on their classpath only:
 * {@link LauncherDir} copies their class files there, so they use nothing but the JDK and must stay
 * single classes (no nested or anonymous classes; lambdas are fine).
 */
package io.vaeguard.local.process;
