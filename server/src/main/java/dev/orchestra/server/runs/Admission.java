package dev.orchestra.server.runs;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many runs this server runs at once: a submission takes one of {@code maxRunning} slots and
 * gives it back when its run ends. When all are taken it waits, up to {@code wait} and behind at
 * most {@code maxWaiting} others (the admission queue, first come first served); a submission that
 * finds the queue full or waits in vain is refused ({@link RunSupervisor.Busy}, 503 with {@code
 * Retry-After}). So a burst of submissions is answered quickly either way, and the engine's threads
 * and processes are bounded by the slots instead of growing with the submissions. Resumed runs (a
 * restart, a take-over) take a slot without waiting, even beyond the bound: they were accepted
 * before. Thread-safe.
 */
final class Admission {
  private final int maxRunning;
  private final int maxWaiting;
  private final Duration wait;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition freed = lock.newCondition();
  private int running;
  private int waiting;

  Admission(int maxRunning, int maxWaiting, Duration wait) {
    if (maxRunning < 1) {
      throw new IllegalArgumentException("maxRunning must be >= 1, was " + maxRunning);
    }
    if (maxWaiting < 0) {
      throw new IllegalArgumentException("maxWaiting must be >= 0, was " + maxWaiting);
    }
    this.maxRunning = maxRunning;
    this.maxWaiting = maxWaiting;
    this.wait = wait;
  }

  /**
   * Takes a slot for a new run, waiting in the queue when none is free.
   *
   * @throws RunSupervisor.Busy when the queue is full or no slot freed within the wait
   */
  void enter() {
    lock.lock();
    try {
      if (running < maxRunning && waiting == 0) {
        running++;
        return;
      }
      if (waiting >= maxWaiting) {
        throw busy();
      }
      waiting++;
      try {
        long nanos = wait.toNanos();
        while (running >= maxRunning) {
          if (nanos <= 0) {
            throw busy();
          }
          nanos = freed.awaitNanos(nanos);
        }
        running++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw busy();
      } finally {
        waiting--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes a slot at once, even beyond the bound (a run accepted before: resumed, taken over). */
  void force() {
    lock.lock();
    try {
      running++;
    } finally {
      lock.unlock();
    }
  }

  /** Gives a slot back (its run ended, or did not start). */
  void leave() {
    lock.lock();
    try {
      running--;
      freed.signal();
    } finally {
      lock.unlock();
    }
  }

  private RunSupervisor.Busy busy() {
    return new RunSupervisor.Busy(
        maxRunning,
        Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait.toNanos())),
        waiting >= maxWaiting);
  }
}
