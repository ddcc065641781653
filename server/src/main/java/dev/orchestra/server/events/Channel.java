package dev.orchestra.server.events;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The latest items of a stream, numbered by strictly increasing keys, for readers that each keep
 * their own position: a reader asks for what came after the last key it saw and waits when nothing
 * did. Keys are consecutive (a run's {@code seq}, the server-wide sequence). Keeps at most {@code
 * capacity} items; a reader whose position is older than the item before the oldest kept one is
 * told so ({@link Batch#gap()}) and reads the rest elsewhere (the run store). Appending never
 * blocks on readers. Thread-safe.
 */
final class Channel<T> {
  /** An item and its key. */
  record Entry<T>(long key, T item) {}

  /**
   * What a reader gets.
   *
   * @param entries the items after its position, in key order (empty after a wait with none)
   * @param gap whether items between its position and the first kept one were dropped
   */
  record Batch<T>(List<Entry<T>> entries, boolean gap) {}

  private final int capacity;
  private final ArrayDeque<Entry<T>> items = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private long lastKey;
  private boolean closed;

  Channel(int capacity) {
    this.capacity = capacity;
  }

  /** Adds an item; a key not above the last one is ignored (a duplicate delivery). */
  void append(long key, T item) {
    lock.lock();
    try {
      if (key <= lastKey && !items.isEmpty()) {
        return;
      }
      items.addLast(new Entry<>(key, item));
      lastKey = key;
      if (items.size() > capacity) {
        items.removeFirst();
      }
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The key of the last item appended, 0 before the first. */
  long lastKey() {
    lock.lock();
    try {
      return lastKey;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The items with keys above {@code after}, waiting up to {@code wait} for one when there is none.
   * Returns at once when the channel is closed.
   */
  Batch<T> after(long after, Duration wait) throws InterruptedException {
    long nanos = wait.toNanos();
    lock.lock();
    try {
      while (!closed && (items.isEmpty() || items.peekLast().key() <= after)) {
        if (nanos <= 0) {
          return new Batch<>(List.of(), false);
        }
        nanos = appended.awaitNanos(nanos);
      }
      if (items.isEmpty()) {
        return new Batch<>(List.of(), false);
      }
      // Keys are consecutive: a first kept key beyond the next one means some were not kept here.
      boolean gap = items.peekFirst().key() > after + 1;
      List<Entry<T>> out = new ArrayList<>();
      for (Entry<T> e : items) {
        if (e.key() > after) {
          out.add(e);
        }
      }
      return new Batch<>(out, gap);
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting reader; later waits return at once. */
  void close() {
    lock.lock();
    try {
      closed = true;
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
