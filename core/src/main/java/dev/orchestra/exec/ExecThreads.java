package dev.orchestra.exec;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads shared by every local execution and watchdog in this JVM. Creating a pool per process
 * would cost more than the short processes (e.g. {@code true}) that a workflow may run by the
 * thousand, so the pools live as long as the JVM; their threads are daemons and never keep it
 * alive.
 */
final class ExecThreads {

  /** Output readers and kills: blocking work, one thread per task, threads reused. */
  static final ExecutorService IO = Executors.newCachedThreadPool(daemons("orchestra-io-"));

  /** Timers only: tasks here must never block, they hand blocking work to {@link #IO}. */
  static final ScheduledExecutorService TIMERS = timers();

  private ExecThreads() {}

  private static ScheduledExecutorService timers() {
    var pool = new ScheduledThreadPoolExecutor(1, daemons("orchestra-timer-"));
    // Watches are cancelled far more often than they fire: drop them from the queue at once.
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  private static ThreadFactory daemons(String prefix) {
    var count = new AtomicInteger();
    return runnable -> {
      var thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
