package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.store.RunRecorder;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers, timestamps and records a run's events, then hands them to listeners on one delivery
 * thread in order. Recording happens on the emitting thread (so an event is durable before the run
 * moves on); delivery is asynchronous so that listeners can call back into the run (e.g. cancel it)
 * without deadlocks. Thread-safe.
 */
final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
  private static final RecordedEvent END = new RecordedEvent(-1, null, null, null);

  private final String runId;
  private final Clock clock;
  private final RunRecorder recorder;
  private final SecretMasker masker;
  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<RecordedEvent> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
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
    Thread delivery = new Thread(this::deliver, "orchestra-events-" + runId);
    delivery.setDaemon(true);
    delivery.start();
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
    return recorded;
  }

  /**
   * Ends delivery after the events emitted so far; the future completes when all were delivered.
   */
  CompletableFuture<Void> close() {
    queue.add(END);
    return drained;
  }

  private void deliver() {
    try {
      while (true) {
        RecordedEvent e = queue.take();
        if (e == END) {
          break;
        }
        for (EventListener l : listeners) {
          try {
            l.onEvent(e);
          } catch (RuntimeException ex) {
            LOG.warn("run {}: an event listener failed on event {}", runId, e.seq(), ex);
          }
        }
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } finally {
      drained.complete(null);
    }
  }
}
