package dev.orchestra.server.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The latest items of a stream, numbered by strictly increasing keys, for readers that each keep
 * their own position: a reader asks for what came after the last key it saw and waits when nothing
 * did. Keys are consecutive (a run's {@code seq}, the server-wide sequence); an item whose key
 * jumps ahead starts the channel afresh, as if the items in between had been dropped. Keeps at most
 * {@code capacity} items in a ring; a reader whose position is older than the item before the
 * oldest kept one is told so ({@link Batch#gap()}) and reads the rest elsewhere (the run store).
 *
 * <p>Costs: appending is O(1) and never blocks on readers; a read is O(items it returns), found by
 * key arithmetic, so a hundred readers of a full channel cost no more than their own news.
 * Thread-safe.
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

  private final Entry<T>[] ring;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private int head;
  private int size;
  private long lastKey;
  private boolean closed;

  @SuppressWarnings("unchecked")
  Channel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a channel keeps at least one item, was " + capacity);
    }
    this.ring = (Entry<T>[]) new Entry<?>[capacity];
  }

  /** Adds an item; a key not above the last one is ignored (a duplicate delivery). */
  void append(long key, T item) {
    lock.lock();
    try {
      if (size > 0 && key <= lastKey) {
        return;
      }
      if (size > 0 && key != lastKey + 1) {
        size = 0; // a jump: what is kept no longer leads up to this item
      }
      Entry<T> e = new Entry<>(key, item);
      if (size == ring.length) {
        ring[head] = e;
        head = (head + 1) % ring.length;
      } else {
        ring[(head + size) % ring.length] = e;
        size++;
      }
      lastKey = key;
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
      while (!closed && (size == 0 || lastKey <= after)) {
        if (nanos <= 0) {
          return new Batch<>(List.of(), false);
        }
        nanos = appended.awaitNanos(nanos);
      }
      if (size == 0 || lastKey <= after) {
        return new Batch<>(List.of(), false);
      }
      long first = lastKey - size + 1;
      // Keys are consecutive: a first kept key beyond the next one means some were not kept here.
      boolean gap = first > after + 1;
      long from = Math.max(first, after + 1);
      int n = (int) (lastKey - from + 1);
      int at = (int) (head + (from - first)) % ring.length;
      List<Entry<T>> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(ring[(at + i) % ring.length]);
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
