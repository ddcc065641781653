package dev.orchestra.exec;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One execution under a {@link Watchdog}. Output must be reported through {@link #onOutput()} (or a
 * listener from {@link #listener}) for the idle limit to see it. After the execution has ended,
 * {@link #fired()} tells whether a limit killed it; {@link #close()} stops the timers. Thread-safe.
 */
public final class Watch implements AutoCloseable {
  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final Executor killers;
  private final Duration timeout;
  private final Duration idleTimeout;
  private final AtomicReference<TimeoutKind> fired = new AtomicReference<>();
  private volatile Execution execution;
  private volatile long startMillis;
  private volatile long lastOutputMillis;
  private volatile boolean closed;
  private volatile ScheduledFuture<?> wallTimer;
  private volatile ScheduledFuture<?> idleTimer;

  Watch(
      Clock clock,
      ScheduledExecutorService timers,
      Executor killers,
      Duration timeout,
      Duration idleTimeout) {
    this.clock = clock;
    this.timers = timers;
    this.killers = killers;
    this.timeout = timeout;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Starts the timers for {@code execution}; both limits count from now.
   *
   * @throws IllegalStateException when already started
   */
  public synchronized void start(Execution execution) {
    if (this.execution != null) {
      throw new IllegalStateException("this watch already watches an execution");
    }
    this.execution = execution;
    startMillis = clock.millis();
    lastOutputMillis = startMillis;
    if (timeout != null) {
      wallTimer = schedule(this::checkWall, timeout.toMillis());
    }
    if (idleTimeout != null) {
      idleTimer = schedule(this::checkIdle, idleTimeout.toMillis());
    }
  }

  /** Resets the idle timer; cheap enough to call for every line of output. */
  public void onOutput() {
    lastOutputMillis = clock.millis();
  }

  /** {@code next} preceded by {@link #onOutput()} for every line. */
  public OutputListener listener(OutputListener next) {
    return (stream, line) -> {
      onOutput();
      next.onLine(stream, line);
    };
  }

  /** The limit that killed the execution, if one did. */
  public Optional<TimeoutKind> fired() {
    return Optional.ofNullable(fired.get());
  }

  /** Why the execution was killed, e.g. {@code timed out after 30m (timeout)}, if it was. */
  public Optional<String> reason() {
    return fired().map(kind -> kind.describe(kind == TimeoutKind.WALL ? timeout : idleTimeout));
  }

  /**
   * Checks both limits against the clock now, firing one that is due. The timers call this on their
   * own; tests with a hand-driven clock call it after moving the clock.
   */
  public void check() {
    checkWall();
    checkIdle();
  }

  private void checkWall() {
    if (timeout == null || closed || execution == null) {
      return;
    }
    long left = timeout.toMillis() - (clock.millis() - startMillis);
    if (left <= 0) {
      fire(TimeoutKind.WALL);
    } else {
      wallTimer = schedule(this::checkWall, left);
    }
  }

  private void checkIdle() {
    if (idleTimeout == null || closed || execution == null) {
      return;
    }
    // Output only moves a timestamp; the timer re-arms itself for the rest of the silence.
    long left = idleTimeout.toMillis() - (clock.millis() - lastOutputMillis);
    if (left <= 0) {
      fire(TimeoutKind.IDLE);
    } else {
      idleTimer = schedule(this::checkIdle, left);
    }
  }

  private void fire(TimeoutKind kind) {
    if (fired.compareAndSet(null, kind)) {
      cancelTimers();
      killers.execute(execution::kill);
    }
  }

  private ScheduledFuture<?> schedule(Runnable check, long delayMillis) {
    if (closed) {
      return null;
    }
    return timers.schedule(check, delayMillis, TimeUnit.MILLISECONDS);
  }

  /** Stops the timers; a kill already under way completes. Idempotent. */
  @Override
  public void close() {
    closed = true;
    cancelTimers();
  }

  private void cancelTimers() {
    cancel(wallTimer);
    cancel(idleTimer);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
