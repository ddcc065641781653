/**
 * Running processes: the {@link dev.orchestra.exec.Executor} and {@link
 * dev.orchestra.exec.Execution} interfaces, the {@link dev.orchestra.exec.LocalExecutor} that runs
 * each process in its own process group, the {@link dev.orchestra.exec.Watchdog} that enforces
 * {@code timeout} and {@code idle_timeout}, {@link dev.orchestra.exec.Tail} for bounded output, and
 * {@link dev.orchestra.exec.ProcessReaper}, which ends a recorded {@link
 * dev.orchestra.exec.ProcessGroup} that a crashed Orchestra process left behind. Depends on the
 * JDK, SLF4J and {@code dev.orchestra} only.
 */
package dev.orchestra.exec;
