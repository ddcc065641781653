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
   * is queued for {@link #onEvent}: for measuring where an event's latency accrues. Must return at
   * once (it holds up the run); does nothing unless overridden.
   */
  default void recorded(RecordedEvent event) {}
}
