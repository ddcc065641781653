package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.RunStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a run's state from its recorded events for a resume. Nodes whose last {@code
 * node_finished} says {@code succeeded} keep their output and named outputs and never run again.
 * Every other node runs again: interrupted ones (no {@code node_finished}, or {@code cancelled})
 * and, deliberately, failed and skipped ones too, like "re-run failed jobs" in CI. A node that runs
 * again starts at the attempt after its last recorded one, with its full number of attempts. A node
 * with an approval gate gets to it again: the decision recorded for it (the store keeps decisions
 * apart from events) lets it through without asking again, or fails it again when it was a
 * rejection; without one it waits again.
 */
final class Replay {
  private Replay() {}

  /**
   * Applies the events to the graph's nodes.
   *
   * @return the last recorded {@code seq}
   */
  static long apply(List<RecordedEvent> events, RunGraph graph, RunStore store, String runId) {
    long lastSeq = 0;
    Map<String, Integer> lastAttempt = new HashMap<>();
    Map<String, Event.NodeFinished> finished = new HashMap<>();
    Set<String> announced = new HashSet<>();
    for (RecordedEvent r : events) {
      lastSeq = Math.max(lastSeq, r.seq());
      Event e = r.event();
      if (e instanceof Event.NodeStarted s) {
        lastAttempt.merge(s.node(), s.attempt(), Math::max);
      } else if (e instanceof Event.NodeFinished f) {
        finished.put(f.node(), f);
      } else if (e instanceof Event.NodeApproved || e instanceof Event.NodeRejected) {
        announced.add(e.node());
      }
    }
    for (GraphNode n : graph.nodes) {
      n.attempt = lastAttempt.getOrDefault(n.id, 0);
      n.decisionAnnounced = announced.contains(n.id);
      Event.NodeFinished f = finished.get(n.id);
      if (f != null && f.status() == NodeStatus.SUCCEEDED) {
        n.preserved = true;
        n.status = NodeStatus.SUCCEEDED;
        n.output = f.output();
        n.usage = f.usage() != null ? f.usage() : n.usage;
        n.durationMs = f.durationMs();
        n.attempt = Math.max(n.attempt, f.attempts());
        int attempt = n.attempt;
        for (AttemptRecord a : store.attempts(runId, n.id)) {
          if (a.attempt() == attempt) {
            n.outputs = a.outputs();
          }
        }
      }
    }
    return lastSeq;
  }
}
