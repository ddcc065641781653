package dev.orchestra.state;

import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the workflow says about a node before any event: the part of a {@link NodeState} that events
 * never change. A projection starts from the planned nodes so that nodes that have not started yet
 * are listed too, in the order the views show them.
 *
 * @param id the node id
 * @param needs the ids of the nodes it needs
 * @param agent its effective agent, {@code uses} for a composed node, or {@code null} when unknown
 * @param attempts its total attempts (defaults applied); 0 when unknown
 */
public record PlannedNode(String id, List<String> needs, String agent, int attempts) {

  /** The agent name a composed node ({@code uses:}) is listed with. */
  public static final String COMPOSED = "uses";

  public PlannedNode {
    Objects.requireNonNull(id, "id");
    needs = needs == null ? List.of() : List.copyOf(needs);
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
    }
  }

  /** A node only events told of (a composed workflow's inner node): no needs, agent or attempts. */
  public static PlannedNode unplanned(String id) {
    return new PlannedNode(id, List.of(), null, 0);
  }

  /**
   * The top-level nodes of a valid (acyclic) workflow in a topological order, ties kept in file
   * order, with the workflow's defaults applied. Linear in nodes plus edges. Inner nodes of
   * composed workflows are not planned: a projection adds them as their events name them.
   */
  public static List<PlannedNode> of(Workflow workflow) {
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
    Map<String, PlannedNode> planned = new LinkedHashMap<>();
    while (!ready.isEmpty()) {
      String id = ready.poll();
      planned.put(id, of(id, specs.get(id)));
      for (String next : dependents.getOrDefault(id, List.of())) {
        if (waiting.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    // A cycle cannot reach here (the validator rejects it), but never drop a node silently.
    specs.forEach((id, spec) -> planned.computeIfAbsent(id, k -> of(k, spec)));
    return List.copyOf(planned.values());
  }

  private static PlannedNode of(String id, NodeSpec spec) {
    String agent = spec.isComposed() ? COMPOSED : spec.agentOrDefault();
    return new PlannedNode(id, spec.needs(), agent, spec.attemptsOrDefault());
  }
}
