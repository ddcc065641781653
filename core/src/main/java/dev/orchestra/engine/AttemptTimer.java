package dev.orchestra.engine;

import dev.orchestra.exec.Execution;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Kills one attempt's execution when its wall-clock {@code timeout} or its {@code idle_timeout} (no
 * output for that long) runs out, and tells which fired. Output lines call {@link #activity()}.
 * Runs on a shared scheduler: no thread per attempt; the idle check re-arms itself for the
 * remaining time instead of polling.
 */
final class AttemptTimer {
  private final Execution execution;
  private final ScheduledExecutorService scheduler;
  private final java.util.concurrent.Executor killers;
  private final Duration idle;
  private volatile long lastActivity = System.nanoTime();
  private volatile String fired;
  private ScheduledFuture<?> wallTask;
  private ScheduledFuture<?> idleTask;
  private boolean cancelled;

  private AttemptTimer(
      Execution execution,
      ScheduledExecutorService scheduler,
      java.util.concurrent.Executor killers,
      Duration idle) {
    this.execution = execution;
    this.scheduler = scheduler;
    this.killers = killers;
    this.idle = idle;
  }

  static AttemptTimer start(
      Execution execution,
      Duration timeout,
      Duration idle,
      ScheduledExecutorService scheduler,
      java.util.concurrent.Executor killers) {
    AttemptTimer t = new AttemptTimer(execution, scheduler, killers, idle);
    synchronized (t) {
      if (timeout != null) {
        t.wallTask =
            scheduler.schedule(
                () -> t.fire("timeout " + Durations.format(timeout) + " exceeded"),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
      }
      if (idle != null) {
        t.idleTask = scheduler.schedule(t::checkIdle, idle.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    return t;
  }

  void activity() {
    lastActivity = System.nanoTime();
  }

  private void checkIdle() {
    long quiet = System.nanoTime() - lastActivity;
    long rest = idle.toNanos() - quiet;
    if (rest <= 0) {
      fire("idle_timeout " + Durations.format(idle) + ": no output");
      return;
    }
    synchronized (this) {
      if (!cancelled) {
        idleTask = scheduler.schedule(this::checkIdle, rest, TimeUnit.NANOSECONDS);
      }
    }
  }

  private void fire(String why) {
    synchronized (this) {
      if (cancelled || fired != null) {
        return;
      }
      fired = why;
    }
    killers.execute(execution::kill);
  }

  /** Which timeout fired, as a reason ({@code idle_timeout 30s: no output}), or {@code null}. */
  String fired() {
    return fired;
  }

  synchronized void cancel() {
    cancelled = true;
    if (wallTask != null) {
      wallTask.cancel(false);
    }
    if (idleTask != null) {
      idleTask.cancel(false);
    }
  }
}
