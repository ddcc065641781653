package dev.orchestra.server.events;

import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunStore;
import java.util.List;

/**
 * A run's recorded events after a sequence number. Reads every event and drops the first ones until
 * {@code RunStore} reads after a {@code seq} itself (the sql-store branch adds {@code events(runId,
 * afterSeq)}); then this calls it.
 */
final class StoreEvents {
  private StoreEvents() {}

  static List<RecordedEvent> after(RunStore store, String runId, long afterSeq) {
    return store.events(runId).stream().filter(e -> e.seq() > afterSeq).toList();
  }
}
