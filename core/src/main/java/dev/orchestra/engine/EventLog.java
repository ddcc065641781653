package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.store.RunRecorder;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers, timestamps and records a run's events, then hands them to listeners in order, one
 * delivery at a time. Recording happens on the emitting thread (so an event is durable before the
 * run moves on); delivery is asynchronous so that listeners can call back into the run (e.g. cancel
 * it) without deadlocks. Deliveries run on threads the runs of this JVM share ({@link #DELIVERY}),
 * where each run had a thread of its own, started with it: a server running a thousand short runs
 * started as many threads, and a log that was never closed kept its thread waiting for good.
 * Thread-safe.
 */
final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
  private static final RecordedEvent END = new RecordedEvent(-1, null, null, null);
  private static final AtomicInteger THREADS = new AtomicInteger();

  /**
   * The delivery threads: as many as runs deliver at once (a listener may block), each kept a
   * minute once idle. Daemons, as the threads of each run were.
   */
  private static final ExecutorService DELIVERY =
      Executors.newCachedThreadPool(
          task -> {
            Thread t = new Thread(task, "orchestra-events-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private final String runId;
  private final Clock clock;
  private final RunRecorder recorder;
  private final SecretMasker masker;
  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<RecordedEvent> queue = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  /** Whether a delivery of this log is scheduled or running: at most one is. */
  private final AtomicBoolean delivering = new AtomicBoolean();

  private long seq;

  EventLog(
      String runId,
      Clock clock,
      RunRecorder recorder,
      long lastSeq,
      List<EventListener> ls,
      SecretMasker masker) {
    this.runId = runId;
    this.masker = masker;
    this.clock = clock;
    this.recorder = recorder;
    this.seq = lastSeq;
    this.listeners.addAll(ls);
  }

  void subscribe(EventListener listener) {
    listeners.add(listener);
  }

  /** The run's secrets: every event is masked with it before it is recorded or delivered. */
  SecretMasker masker() {
    return masker;
  }

  /** Masks the event's secrets, records it and queues it for the listeners. */
  synchronized RecordedEvent emit(Event event) {
    RecordedEvent recorded =
        new RecordedEvent(++seq, clock.instant(), runId, MaskingRunRecorder.mask(event, masker));
    try {
      recorder.append(recorded);
    } catch (RuntimeException e) {
      // The recorder noted it: the coordinator stops the run, and front ends report it once.
      LOG.debug("run {}: recording events failed: {}", runId, e.getMessage());
    }
    for (EventListener l : listeners) {
      try {
        l.recorded(recorded);
      } catch (RuntimeException ex) {
        LOG.warn("run {}: an event listener failed on event {}", runId, recorded.seq(), ex);
      }
    }
    queue.add(recorded);
    schedule();
    return recorded;
  }

  /**
   * Ends delivery after the events emitted so far; the future completes when all were delivered.
   */
  CompletableFuture<Void> close() {
    queue.add(END);
    schedule();
    return drained;
  }

  /** Starts a delivery unless one is scheduled or running; that one sees what was queued. */
  private void schedule() {
    if (delivering.compareAndSet(false, true)) {
      try {
        DELIVERY.execute(this::deliver);
      } catch (RuntimeException e) {
        delivering.set(false);
        throw e;
      }
    }
  }

  /**
   * Delivers what is queued, in order, until the queue is empty (then leaves the delivering flag,
   * and takes it again if an event came meanwhile) or the log's end. After the end nothing more is
   * delivered, as no delivery is ever started again.
   */
  private void deliver() {
    try {
      deliverQueued();
    } catch (Error e) {
      delivering.set(false); // the next event starts another delivery
      throw e;
    }
  }

  private void deliverQueued() {
    do {
      RecordedEvent e;
      while ((e = queue.poll()) != null) {
        if (e == END) {
          drained.complete(null);
          return;
        }
        for (EventListener l : listeners) {
          try {
            l.onEvent(e);
          } catch (RuntimeException ex) {
            LOG.warn("run {}: an event listener failed on event {}", runId, e.seq(), ex);
          }
        }
      }
      delivering.set(false);
    } while (!queue.isEmpty() && delivering.compareAndSet(false, true));
  }
}
