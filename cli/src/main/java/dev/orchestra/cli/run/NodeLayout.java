package dev.orchestra.cli.run;

import dev.orchestra.state.PlannedNode;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of a workflow in a topological order (ties kept in file order, as {@link
 * PlannedNode#of} orders them), each with its depth (the longest chain of {@code needs} above it),
 * the order in which the run views list them.
 *
 * @param rows one row per node, every node after the nodes it needs
 */
public record NodeLayout(List<Row> rows) {

  public NodeLayout {
    rows = List.copyOf(rows);
  }

  /**
   * One node.
   *
   * @param id the node id
   * @param agent its effective agent, or {@code uses} for a composed node
   * @param depth 0 for nodes that need nothing, else one more than the deepest node it needs
   * @param attempts its total attempts (defaults applied)
   * @param spec the node with the workflow's defaults applied
   */
  public record Row(String id, String agent, int depth, int attempts, NodeSpec spec) {}

  /** Lays out a valid (acyclic) workflow. Linear in nodes plus edges. */
  public static NodeLayout of(Workflow workflow) {
    Map<String, Integer> depth = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    for (PlannedNode p : PlannedNode.of(workflow)) {
      int d = p.needs().stream().mapToInt(n -> depth.getOrDefault(n, 0) + 1).max().orElse(0);
      depth.put(p.id(), d);
      rows.add(new Row(p.id(), p.agent(), d, p.attempts(), workflow.effectiveNode(p.id())));
    }
    return new NodeLayout(rows);
  }

  /** The nodes as a run's state starts from them. */
  public List<PlannedNode> plan() {
    return rows.stream()
        .map(r -> new PlannedNode(r.id(), r.spec().needs(), r.agent(), r.attempts()))
        .toList();
  }

  /** The width of the longest node id, for aligned columns. */
  public int idWidth() {
    return rows.stream().mapToInt(r -> r.id().length()).max().orElse(4);
  }
}
