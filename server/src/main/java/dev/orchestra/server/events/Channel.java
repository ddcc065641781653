package dev.orchestra.server.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The latest items of a stream, numbered by strictly increasing keys, for readers that each keep
 * their own position: a reader asks for what came after the last key it saw and waits when nothing
 * did. Keys are consecutive (a run's {@code seq}, the server-wide sequence); an item whose key
 * jumps ahead starts the channel afresh, as if the items in between had been dropped. Keeps at most
 * {@code capacity} items in a ring; a reader whose position is older than the item before the
 * oldest kept one is told so ({@link Batch#gap()}) and reads the rest elsewhere (the run store).
 *
 * <p>Costs: appending is O(1) plus waking the readers that wait, and never blocks on them; readers
 * take no lock, each finds its news by key arithmetic and copies only those, so a hundred readers
 * of a busy channel never queue behind each other or behind the appender. Thread-safe.
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

  private final AtomicReferenceArray<Entry<T>> ring;
  private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
  private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

  /** The last key appended (0 before the first); written after the item is in the ring. */
  private volatile long lastKey;

  /** The oldest key kept; written before {@link #lastKey} moves past it. */
  private volatile long firstKey;

  private volatile boolean closed;

  Channel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a channel keeps at least one item, was " + capacity);
    }
    this.ring = new AtomicReferenceArray<>(capacity);
  }

  private int slot(long key) {
    return (int) Math.floorMod(key, (long) ring.length());
  }

  /** Adds an item; a key not above the last one is ignored (a duplicate delivery). */
  synchronized void append(long key, T item) {
    long last = lastKey;
    if (last > 0 && key <= last) {
      return;
    }
    if (last == 0 || key != last + 1) {
      firstKey = key; // the first item, or a jump: what is kept no longer leads up to this one
    } else if (key - firstKey >= ring.length()) {
      firstKey = key - ring.length() + 1;
    }
    ring.set(slot(key), new Entry<>(key, item));
    lastKey = key;
    wakeAll();
  }

  private void wakeAll() {
    for (Thread t : waiting) {
      LockSupport.unpark(t);
    }
    for (Runnable w : watchers) {
      w.run();
    }
  }

  /**
   * Has {@code wake} run after each append (on the appender's thread, so it must only signal, never
   * block) and on close: for a reader that waits for this channel among other things.
   */
  void watch(Runnable wake) {
    watchers.add(wake);
  }

  /**
   * The kept entry with key {@code key}, or {@code null} when it is not kept: dropped (older than
   * the oldest kept, see {@link #firstKey()}) or not appended yet. Takes no lock; O(1).
   */
  Entry<T> entry(long key) {
    Entry<T> e = ring.get(slot(key));
    return e != null && e.key() == key && key <= lastKey ? e : null;
  }

  /** The oldest key kept (meaningful once something was appended). */
  long firstKey() {
    return firstKey;
  }

  /** The key of the last item appended, 0 before the first. */
  long lastKey() {
    return lastKey;
  }

  /**
   * The items with keys above {@code after}, waiting up to {@code wait} for one when there is none.
   * Returns at once when the channel is closed.
   */
  Batch<T> after(long after, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long last = lastKey;
      if (last <= after) {
        if (closed || !await(after, deadline)) {
          return new Batch<>(List.of(), false);
        }
        continue;
      }
      long first = firstKey;
      if (first > last) {
        Thread.onSpinWait(); // a jump half done: its item is not in yet
        continue;
      }
      // Keys are consecutive: a first kept key beyond the next one means some were not kept here.
      boolean gap = first > after + 1;
      long from = Math.max(first, after + 1);
      List<Entry<T>> out = new ArrayList<>((int) (last - from + 1));
      boolean overtaken = false;
      for (long k = from; k <= last; k++) {
        Entry<T> e = ring.get(slot(k));
        if (e == null || e.key() != k) {
          overtaken = true; // the appender wrapped round while this copied: start from the oldest
          break;
        }
        out.add(e);
      }
      if (!overtaken) {
        return new Batch<>(out, gap);
      }
    }
  }

  /** Waits until a key above {@code after} is appended or the channel closes; false at the end. */
  private boolean await(long after, long deadline) throws InterruptedException {
    Thread me = Thread.currentThread();
    waiting.add(me);
    try {
      // Registered first, then checked: an append after the check unparks this thread.
      while (!closed && lastKey <= after) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
      return lastKey > after;
    } finally {
      waiting.remove(me);
    }
  }

  /** Wakes every waiting reader; later waits return at once. */
  void close() {
    closed = true;
    wakeAll();
  }
}
