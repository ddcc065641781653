/**
 * Running processes: the {@link dev.orchestra.exec.Executor} and {@link
 * dev.orchestra.exec.Execution} interfaces, the {@link dev.orchestra.exec.LocalExecutor} that runs
 * each process in its own process group, the {@link dev.orchestra.exec.Watchdog} that enforces
 * {@code timeout} and {@code idle_timeout}, and {@link dev.orchestra.exec.Tail} for bounded output.
 * Depends on the JDK, SLF4J and {@code dev.orchestra} only.
 */
package dev.orchestra.exec;
