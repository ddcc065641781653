package dev.orchestra.exec;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Enforces {@code timeout} (wall clock) and {@code idle_timeout} (no output) on executions: when a
 * limit is reached it kills the execution and records which limit it was (see {@link Watch}).
 *
 * <p>All watches share one timer thread; no thread is created per watched process. Timer tasks
 * never block: kills run on a shared pool. Time is read from the injected {@link Clock}, so a test
 * may drive a watch with its own clock and {@link Watch#check()}. Thread-safe.
 *
 * <pre>{@code
 * Watch watch = watchdog.newWatch(node.timeout(), node.idleTimeout());
 * Execution execution = executor.start(spec, watch.listener(myListener));
 * watch.start(execution);
 * try {
 *   exit = execution.await();
 * } finally {
 *   watch.close();
 * }
 * watch.fired();   // Optional.of(TimeoutKind.IDLE) when the silence killed it
 * watch.reason();  // Optional.of("no output for 5m (idle_timeout)")
 * }</pre>
 */
public final class Watchdog {
  private static final Watchdog SHARED =
      new Watchdog(Clock.systemUTC(), ExecThreads.TIMERS, ExecThreads.IO);

  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final java.util.concurrent.Executor killers;

  /**
   * @param clock the time that limits are measured in
   * @param timers where limit checks are scheduled; its tasks must not block
   * @param killers where {@link Execution#kill()} is called (it blocks for up to 5 s)
   */
  public Watchdog(
      Clock clock, ScheduledExecutorService timers, java.util.concurrent.Executor killers) {
    this.clock = clock;
    this.timers = timers;
    this.killers = killers;
  }

  /** The JVM-wide watchdog on the system clock and the executor's shared daemon threads. */
  public static Watchdog shared() {
    return SHARED;
  }

  /**
   * A watch that is not started yet: wrap the output listener with {@link Watch#listener} before
   * starting the process, then {@link Watch#start(Execution)} it.
   *
   * @param timeout the wall-clock limit, or {@code null} for none
   * @param idleTimeout the longest silence, or {@code null} for none
   */
  public Watch newWatch(Duration timeout, Duration idleTimeout) {
    requirePositive(timeout, "timeout");
    requirePositive(idleTimeout, "idle_timeout");
    return new Watch(clock, timers, killers, timeout, idleTimeout);
  }

  /** Starts watching {@code execution} now; close the watch when the execution has ended. */
  public Watch watch(Execution execution, Duration timeout, Duration idleTimeout) {
    Watch watch = newWatch(timeout, idleTimeout);
    watch.start(execution);
    return watch;
  }

  private static void requirePositive(Duration limit, String key) {
    if (limit != null && (limit.isNegative() || limit.isZero())) {
      throw new IllegalArgumentException(key + " must be positive, was " + limit);
    }
  }
}
