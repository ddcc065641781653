package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which nodes' work a node builds on, and which nodes' work makes up a run's result, for the
 * workspace provider. Composed nodes have no workspace of their own: they stand for the inner nodes
 * that nothing inside depends on.
 */
final class Upstream {
  private Upstream() {}

  /** The succeeded leaf nodes whose work {@code n} starts from, in the order of its needs. */
  static List<String> of(GraphNode n) {
    if (n.needs.isEmpty()) {
      return n.parent == null ? List.of() : of(n.parent);
    }
    Set<String> out = new LinkedHashSet<>();
    for (GraphNode up : n.needs) {
      leaves(up, out);
    }
    return new ArrayList<>(out);
  }

  /** The succeeded leaf nodes at the ends of the run's graph, in workflow order. */
  static List<String> sinks(RunGraph graph) {
    Set<String> out = new LinkedHashSet<>();
    for (GraphNode n : graph.nodes) {
      if (n.parent == null && n.dependents.isEmpty()) {
        leaves(n, out);
      }
    }
    return new ArrayList<>(out);
  }

  private static void leaves(GraphNode n, Set<String> out) {
    if (n.status != NodeStatus.SUCCEEDED) {
      return;
    }
    if (!n.isComposite()) {
      out.add(n.id);
      return;
    }
    for (GraphNode c : n.children) {
      if (c.dependents.isEmpty()) {
        leaves(c, out);
      }
    }
  }
}
