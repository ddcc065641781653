/**
 * Running processes: the {@link dev.orchestra.exec.Executor} and {@link
 * dev.orchestra.exec.Execution} interfaces, the {@link dev.orchestra.exec.LocalExecutor} that runs
 * each process in its own process group, marked by a variable of its own that everything it starts
 * inherits, and ends what is left of it when it exits or is killed ({@code ProcessSweep}, reported
 * as {@link dev.orchestra.exec.ExitStatus#ended()}), the {@link dev.orchestra.exec.Watchdog} that
 * enforces {@code timeout} and {@code idle_timeout}, {@link dev.orchestra.exec.Tail} for bounded
 * output, and {@link dev.orchestra.exec.ProcessReaper}, which ends a recorded {@link
 * dev.orchestra.exec.ProcessGroup}, and the processes carrying its tag, that a crashed Orchestra
 * process left behind. Depends on the JDK, SLF4J and {@code dev.orchestra} only.
 */
package dev.orchestra.exec;
