package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.Usage;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.RunStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a planned run's records say about its current session (since its last {@code run_started})
 * for the processes that run it one node at a time: which nodes ended in it and how, which were
 * kept from an earlier session (they succeeded then, and a resumed run does not run them again),
 * each node's last attempt, and which nodes are blocked by an upstream that did not pass (rule 1 of
 * docs/pipeline-plan.md, which the engine's {@link Propagation} applies within one process). Built
 * once from the merged events, O(events + nodes + edges). Not thread-safe.
 */
final class SessionRecords {
  private final long lastSeq;
  private final Instant sessionStart;
  private final Map<String, Integer> lastAttempt = new HashMap<>();
  private final Map<String, Event.NodeFinished> ended = new LinkedHashMap<>();
  private final Map<String, Event.NodeFinished> kept = new HashMap<>();
  private final Set<String> started = new HashSet<>();
  private final Set<String> announced = new HashSet<>();
  private final Map<GraphNode, GraphNode> blockedBy = new HashMap<>();

  private SessionRecords(List<RecordedEvent> events, RunGraph graph) {
    int start = 0;
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).event() instanceof Event.RunStarted) {
        start = i;
      }
    }
    long seq = 0;
    Instant first = null;
    Map<String, Event.NodeFinished> before = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      RecordedEvent r = events.get(i);
      seq = Math.max(seq, r.seq());
      Event e = r.event();
      if (i == start) {
        first = r.time();
      }
      if (e instanceof Event.NodeStarted s) {
        lastAttempt.merge(s.node(), s.attempt(), Math::max);
        if (i > start) {
          started.add(s.node());
        }
      } else if (e instanceof Event.NodeFinished f) {
        lastAttempt.merge(f.node(), f.attempts(), Math::max);
        if (i > start) {
          // Keyed by the node's last end, in the order of those ends.
          ended.remove(f.node());
          ended.put(f.node(), f);
          started.remove(f.node());
        } else {
          before.put(f.node(), f);
        }
      } else if (e instanceof Event.NodeApproved || e instanceof Event.NodeRejected) {
        announced.add(e.node());
      }
    }
    before.forEach(
        (id, f) -> {
          if (f.status() == NodeStatus.SUCCEEDED && !ended.containsKey(id)) {
            kept.put(id, f);
          }
        });
    this.lastSeq = seq;
    this.sessionStart = first;
    block(graph);
  }

  static SessionRecords of(List<RecordedEvent> events, RunGraph graph) {
    return new SessionRecords(events, graph);
  }

  /** The largest {@code seq} seen. */
  long lastSeq() {
    return lastSeq;
  }

  /** When the session began (its {@code run_started}), or {@code null} when none is recorded. */
  Instant sessionStart() {
    return sessionStart;
  }

  /** How {@code id} ended in this session or, kept from an earlier one, succeeded; else null. */
  Event.NodeFinished end(String id) {
    Event.NodeFinished f = ended.get(id);
    return f != null ? f : kept.get(id);
  }

  /**
   * Whether an attempt of {@code id} started in this session and never ended (a killed process).
   */
  boolean interrupted(String id) {
    return started.contains(id);
  }

  /** The number of {@code id}'s last attempt in any session (0 when none started). */
  int lastAttempt(String id) {
    return lastAttempt.getOrDefault(id, 0);
  }

  /** What the top-level nodes that ended in this session spent (each composed node once). */
  Usage spent(RunGraph graph) {
    Usage total = Usage.ZERO;
    for (Map.Entry<String, Event.NodeFinished> e : ended.entrySet()) {
      GraphNode n = graph.byId.get(e.getKey());
      if (n != null && n.parent == null) {
        total = total.plus(e.getValue().usage());
      }
    }
    return total;
  }

  /**
   * Why {@code n} may not run: {@code upstream node 'X' STATUS}, naming the first need that ended
   * without passing, or that need's own blocker when it was skipped for one; {@code null} when no
   * need has failed it (whether they all ended is {@link #missingNeeds}'s question).
   */
  String blocker(GraphNode n) {
    GraphNode cause = blockedBy.get(n);
    return cause == null ? null : blockedBecause(cause);
  }

  /** The node {@link #blocker} names, or {@code null}. */
  GraphNode cause(GraphNode n) {
    return blockedBy.get(n);
  }

  /** {@code upstream node 'X' STATUS} for {@code cause}, a node that ended without passing. */
  String blockedBecause(GraphNode cause) {
    return "upstream node '" + cause.id + "' " + end(cause.id).status().wireName();
  }

  /** The needs of {@code n} whose end is not in the records. */
  List<String> missingNeeds(GraphNode n) {
    List<String> missing = new ArrayList<>();
    for (GraphNode up : n.needs) {
      if (end(up.id) == null) {
        missing.add(up.id);
      }
    }
    return missing;
  }

  /**
   * Sets the recorded state of {@code n} on it: status, attempt, duration, usage, output, reason,
   * and the named outputs of a succeeded node from its attempt's records; {@code preserved} so that
   * the coordinator neither runs nor counts it. A node without an end keeps {@code pending}.
   */
  void restore(GraphNode n, RunStore store, String runId) {
    n.attempt = lastAttempt(n.id);
    n.decisionAnnounced = announced.contains(n.id);
    n.preserved = true;
    Event.NodeFinished f = end(n.id);
    if (f == null) {
      return;
    }
    n.status = f.status();
    n.reason = f.reason();
    n.output = f.output();
    n.usage = f.usage();
    n.durationMs = f.durationMs();
    n.attempt = Math.max(n.attempt, f.attempts());
    if (f.status() == NodeStatus.SUCCEEDED) {
      for (AttemptRecord a : store.attempts(runId, n.id)) {
        if (a.attempt() == n.attempt) {
          n.outputs = a.outputs();
        }
      }
    }
  }

  /** Readies {@code n} to run in this process: its last attempt and announced decision only. */
  void reset(GraphNode n) {
    n.attempt = lastAttempt(n.id);
    n.decisionAnnounced = announced.contains(n.id);
    n.preserved = false;
    n.status = NodeStatus.PENDING;
  }

  /** {@link Propagation}'s blocking rule over the top-level nodes that ended, in their order. */
  private void block(RunGraph graph) {
    List<GraphNode> done = new ArrayList<>();
    for (String id : kept.keySet()) {
      done.add(graph.byId.get(id));
    }
    for (String id : ended.keySet()) {
      done.add(graph.byId.get(id));
    }
    for (GraphNode n : done) {
      if (n == null || n.parent != null) {
        continue;
      }
      Event.NodeFinished f = end(n.id);
      boolean passes = f.status() == NodeStatus.SUCCEEDED || n.spec.continuesOnFailure();
      if (passes) {
        continue;
      }
      GraphNode cause =
          f.status() == NodeStatus.SKIPPED && blockedBy.containsKey(n) ? blockedBy.get(n) : n;
      for (GraphNode d : n.dependents) {
        blockedBy.putIfAbsent(d, cause);
      }
    }
  }
}
