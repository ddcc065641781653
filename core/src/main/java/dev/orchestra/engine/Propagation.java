package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.Decision;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Carries the end of each node through the run's graph: its dependents are counted down, and those
 * that reach zero become ready ({@link ReadyQueue}), or end without running when an upstream node
 * failed (skipped) or the run stopped; a composed node starts (renders its {@code with}) when it is
 * ready and ends after its inner nodes, with their usage and its workflow's outputs. A node with an
 * approval gate passes it first ({@link ApprovalGates}): without a decision it waits, in no queue,
 * until {@link #decided}. Every node ends with one {@code node_finished}. O(nodes + edges) per run.
 *
 * <p>Not thread-safe: the coordinator's lock guards it, and the nodes' state it writes.
 */
final class Propagation {
  private final RunContext run;
  private final ReadyQueue ready;
  private final Supplier<StopRequest> stop;
  private final ArrayDeque<GraphNode> toSettle = new ArrayDeque<>();
  private final ApprovalGates gates;
  private int unfinished;

  /**
   * @param stop why the run stops, or {@code null} while it runs
   */
  Propagation(RunContext run, ReadyQueue ready, Supplier<StopRequest> stop) {
    this.run = run;
    this.ready = ready;
    this.stop = stop;
    this.gates = new ApprovalGates(run);
  }

  /**
   * Counts the nodes that succeeded before a resume as done, without events, and readies the nodes
   * that need nothing else.
   */
  void begin() {
    RunGraph graph = run.graph();
    for (GraphNode n : graph.nodes) {
      n.innerPending = n.children.size();
    }
    for (GraphNode n : graph.nodes) {
      if (n.preserved) {
        // Succeeded before the resume: count it done for its dependents, without events.
        for (GraphNode d : n.dependents) {
          d.remaining--;
        }
        if (n.parent != null) {
          n.parent.innerPending--;
        }
      } else {
        unfinished++;
      }
    }
    for (GraphNode n : graph.nodes) {
      if (!n.preserved && n.parent == null && n.remaining == 0) {
        ready(n);
      }
    }
  }

  /** The nodes that have not ended yet. */
  int unfinished() {
    return unfinished;
  }

  /** Records the end of {@code n}, whose state is final: {@code node_finished}, then settling. */
  void ended(GraphNode n) {
    emitFinished(n);
    toSettle.add(n);
  }

  /** Ends {@code n}, which will not run (the run stopped), and settles it. */
  void unrun(GraphNode n, NodeStatus status, String reason) {
    finishUnrun(n, status, reason, status);
    toSettle.add(n);
  }

  /** Carries the end of every node ended since the last call through the graph. */
  void settle() {
    GraphNode n;
    while ((n = toSettle.poll()) != null) {
      settle(n, stop.get());
    }
  }

  /**
   * Takes up a decision on {@code n}'s gate: a waiting node goes on (approved) or fails (rejected);
   * a node not at its gate yet keeps it for when it gets there. The first decision counts.
   */
  void decided(GraphNode n, Decision d) {
    if (gates.decided(n, d)) {
      ready(n);
    }
  }

  /** Takes the nodes waiting for a decision (the run stops); the caller ends them. */
  List<GraphNode> takeWaiting() {
    return gates.takeWaiting();
  }

  private void ready(GraphNode n) {
    if (n.spec.isGated()) {
      ApprovalGates.Passage p = gates.arrive(n);
      if (p instanceof ApprovalGates.Passage.Stopped stopped) {
        finishUnrun(n, stopped.status(), stopped.reason(), NodeStatus.SKIPPED);
        toSettle.add(n);
      }
      if (!(p instanceof ApprovalGates.Passage.Through)) {
        return;
      }
    }
    if (n.isComposite()) {
      startComposite(n);
      return;
    }
    ready.add(n);
  }

  private void startComposite(GraphNode c) {
    c.status = NodeStatus.RUNNING;
    c.attempt++;
    c.startNanos = System.nanoTime();
    run.emit(new Event.NodeStarted(c.id, c.attempt));
    try {
      Map<String, String> with = new LinkedHashMap<>();
      if (c.spec.with() != null) {
        c.spec
            .with()
            .forEach(
                (k, v) ->
                    with.put(
                        k,
                        c.scope.render(
                            v,
                            "'with' of node '" + c.id + "'",
                            run.runId(),
                            run.services().env())));
      }
      c.innerScope.inputs(with);
    } catch (OrchestraException e) {
      finishUnrun(c, NodeStatus.ERROR, e.getMessage(), NodeStatus.SKIPPED);
      toSettle.add(c);
      return;
    }
    if (c.innerPending == 0) {
      completeComposite(c);
      return;
    }
    for (GraphNode r : c.innerRoots) {
      if (!r.preserved && --r.remaining == 0) {
        ready(r);
      }
    }
  }

  private void completeComposite(GraphNode c) {
    GraphNode bad = null;
    Usage usage = Usage.ZERO;
    for (GraphNode child : c.children) {
      usage = usage.plus(child.usage);
      if (child.status != NodeStatus.SUCCEEDED
          && (bad == null
              || (bad.status == NodeStatus.SKIPPED && child.status != NodeStatus.SKIPPED))) {
        bad = child;
      }
    }
    c.usage = usage;
    if (bad == null) {
      try {
        Map<String, String> outputs = new LinkedHashMap<>();
        c.innerScope
            .workflow
            .outputs()
            .forEach(
                (name, out) ->
                    outputs.put(
                        name,
                        c.innerScope.render(
                            out.value(),
                            "output '" + name + "' of " + c.spec.uses(),
                            run.runId(),
                            run.services().env())));
        c.outputs = outputs;
        c.output = NamedOutputs.composite(outputs);
        c.status = NodeStatus.SUCCEEDED;
        try (AttemptRecorder rec = run.recorder().attempt(c.id, c.attempt)) {
          rec.output(c.output);
          rec.outputs(outputs);
        }
      } catch (OrchestraException e) {
        c.status = NodeStatus.FAILED;
        c.reason = e.getMessage();
      }
    } else {
      StopRequest stop = this.stop.get();
      c.status = stop != null ? stop.runningStatus() : NodeStatus.FAILED;
      c.reason =
          "inner node '"
              + bad.id
              + "' "
              + bad.status.wireName()
              + (bad.reason != null ? ": " + bad.reason : "");
    }
    c.durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.startNanos);
    emitFinished(c);
    toSettle.add(c);
  }

  /**
   * Ends a node that will not run, and the inner nodes of a composed one. The caller settles it.
   */
  private void finishUnrun(GraphNode n, NodeStatus status, String reason, NodeStatus inner) {
    if (n.isComposite()) {
      for (GraphNode d : n.descendants) {
        if (!d.status.isTerminal()) {
          d.status = inner;
          d.reason = reason;
          emitFinished(d);
          unfinished--;
        }
      }
      n.innerPending = 0;
    }
    n.status = status;
    n.reason = reason;
    emitFinished(n);
  }

  private void emitFinished(GraphNode n) {
    run.emit(
        new Event.NodeFinished(
            n.id,
            n.status,
            n.attempt,
            n.durationMs,
            n.status == NodeStatus.SUCCEEDED ? null : n.reason,
            n.usage,
            n.output));
  }

  private void settle(GraphNode n, StopRequest stop) {
    unfinished--;
    boolean passes = n.status == NodeStatus.SUCCEEDED || n.spec.continuesOnFailure();
    GraphNode cause = n.status == NodeStatus.SKIPPED && n.blockedBy != null ? n.blockedBy : n;
    for (GraphNode d : n.dependents) {
      if (d.preserved) {
        // Ended before this session (a resume), or not this process's to run (node exec): its
        // state is the records', not this run's to change.
        continue;
      }
      if (!passes && d.blockedBy == null) {
        d.blockedBy = cause;
      }
      if (--d.remaining == 0) {
        if (stop != null) {
          // Once the run stops, nothing else starts: the stop's reason beats an upstream failure.
          finishUnrun(d, stop.pendingStatus(), stop.reason(), stop.pendingStatus());
          toSettle.add(d);
        } else if (d.blockedBy != null) {
          finishUnrun(
              d,
              NodeStatus.SKIPPED,
              "upstream node '" + d.blockedBy.id + "' " + d.blockedBy.status.wireName(),
              NodeStatus.SKIPPED);
          toSettle.add(d);
        } else {
          ready(d);
        }
      }
    }
    GraphNode parent = n.parent;
    if (parent != null && parent.status == NodeStatus.RUNNING && --parent.innerPending == 0) {
      completeComposite(parent);
    }
  }
}
