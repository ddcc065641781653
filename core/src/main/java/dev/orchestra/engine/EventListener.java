package dev.orchestra.engine;

import dev.orchestra.event.RecordedEvent;

/**
 * Receives a run's events in {@code seq} order, one at a time (on delivery threads the runs share),
 * after each was recorded in the run store. Listeners should return quickly: a slow listener delays
 * the delivery of later events (never the run itself). A listener that throws is logged and keeps
 * receiving.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(RecordedEvent event);

  /**
   * Called on the thread that emitted {@code event} as soon as the run store recorded it, before it
   * is queued for {@link #onEvent}, in {@code seq} order: for measuring where an event's latency
   * accrues, or for a listener that must not wait for the delivery thread (the server's event hub
   * takes its events here). Must return at once and never block (it holds up the run); must not
   * call back into the run; does nothing unless overridden.
   */
  default void recorded(RecordedEvent event) {}
}
