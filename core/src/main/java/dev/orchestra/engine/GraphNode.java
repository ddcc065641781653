package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.Decision;
import dev.orchestra.workflow.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node of a run, with its place in the graph and its run-time state.
 *
 * <p><b>Locking rule.</b> The graph part (id, spec, scope, parent, needs, dependents, children,
 * inner roots, descendants, the inner scope) is fixed once {@link RunGraph#build} returns. The
 * run-time state (the fields after it) is written only by the {@link Coordinator} while it holds
 * its lock, and by {@link Replay} before the run starts, on the thread that starts it; the
 * coordinator reads it under the lock. Two readers go without the lock, each reading state that was
 * written before it began and is no longer written: a node's runner reads its own node's {@code
 * attempt} when the coordinator makes it (under the lock), and, through templates and {@link
 * Upstream}, the {@code status}, {@code output} and {@code outputs} of the nodes it needs, which
 * ended before it was launched (the lock and the worker pool's hand-off order those writes before
 * the reads). The end of the run reads a snapshot taken under the lock ({@link RunEnd}). Nothing
 * else touches the state: in particular a node's runner never writes its node, and reports to the
 * coordinator instead.
 */
final class GraphNode {
  final String id;
  final String localId;
  final NodeSpec spec;
  final Scope scope;
  final GraphNode parent;
  final List<GraphNode> needs = new ArrayList<>();
  final List<GraphNode> dependents = new ArrayList<>();

  /** For a composed node: the used workflow's scope, its nodes with no needs, all descendants. */
  Scope innerScope;

  final List<GraphNode> innerRoots = new ArrayList<>();
  final List<GraphNode> descendants = new ArrayList<>();
  final List<GraphNode> children = new ArrayList<>();

  // Run-time state: see the locking rule above.
  int remaining;
  GraphNode blockedBy;
  int innerPending;
  long startNanos;
  NodeControl control;
  boolean preserved;
  NodeStatus status = NodeStatus.PENDING;
  int attempt;
  String reason;
  String output;
  Map<String, String> outputs = Map.of();
  Usage usage = Usage.ZERO;
  long durationMs;

  /** The decision on its approval gate, once known; {@code null} before (or without a gate). */
  Decision decision;

  /** Whether a {@code node_approved} or {@code node_rejected} for it is in the run's events. */
  boolean decisionAnnounced;

  GraphNode(String id, String localId, NodeSpec spec, Scope scope, GraphNode parent) {
    this.id = id;
    this.localId = localId;
    this.spec = spec;
    this.scope = scope;
    this.parent = parent;
  }

  boolean isComposite() {
    return innerScope != null;
  }

  String agent() {
    return spec.agentOrDefault();
  }

  @Override
  public String toString() {
    return id;
  }
}
