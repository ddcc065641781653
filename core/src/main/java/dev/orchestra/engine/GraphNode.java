package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.workflow.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node of a run, with its place in the graph and its run-time state. The state fields are
 * written by the coordinator under its lock; the fields read by other threads (outputs, status) are
 * volatile.
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

  // Coordinator state, guarded by the coordinator's lock.
  int remaining;
  GraphNode blockedBy;
  int innerPending;
  long readySeq;
  long startNanos;
  NodeControl control;
  boolean preserved;

  volatile NodeStatus status = NodeStatus.PENDING;
  volatile int attempt;
  volatile String reason;
  volatile String output;
  volatile Map<String, String> outputs = Map.of();
  volatile Usage usage = Usage.ZERO;
  volatile long durationMs;

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
