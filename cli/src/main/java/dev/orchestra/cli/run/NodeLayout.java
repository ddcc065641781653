package dev.orchestra.cli.run;

import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of a workflow in a topological order (ties kept in file order), each with its depth
 * (the longest chain of {@code needs} above it), the order in which the run views list them.
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
    Map<String, NodeSpec> specs = new LinkedHashMap<>();
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    for (String id : workflow.nodes().keySet()) {
      NodeSpec spec = workflow.effectiveNode(id);
      specs.put(id, spec);
      waiting.put(id, spec.needs().size());
      for (String need : spec.needs()) {
        dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(id);
      }
    }
    Deque<String> ready = new ArrayDeque<>();
    specs.keySet().stream().filter(id -> waiting.get(id) == 0).forEach(ready::add);
    Map<String, Integer> depth = new HashMap<>();
    List<Row> rows = new ArrayList<>(specs.size());
    while (!ready.isEmpty()) {
      String id = ready.poll();
      NodeSpec spec = specs.get(id);
      int d = spec.needs().stream().mapToInt(n -> depth.getOrDefault(n, 0) + 1).max().orElse(0);
      depth.put(id, d);
      String agent = spec.isComposed() ? "uses" : spec.agentOrDefault();
      rows.add(new Row(id, agent, d, spec.attemptsOrDefault(), spec));
      for (String next : dependents.getOrDefault(id, List.of())) {
        if (waiting.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    // A cycle cannot reach here (the validator rejects it), but never drop a node silently.
    for (Map.Entry<String, NodeSpec> e : specs.entrySet()) {
      if (!depth.containsKey(e.getKey())) {
        NodeSpec spec = e.getValue();
        rows.add(new Row(e.getKey(), spec.agentOrDefault(), 0, spec.attemptsOrDefault(), spec));
      }
    }
    return new NodeLayout(rows);
  }

  /** The width of the longest node id, for aligned columns. */
  public int idWidth() {
    return rows.stream().mapToInt(r -> r.id().length()).max().orElse(4);
  }
}
