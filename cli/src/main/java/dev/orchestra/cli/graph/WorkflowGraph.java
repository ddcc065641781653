package dev.orchestra.cli.graph;

import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a workflow as {@code orchestra graph} draws it: nodes in file order with their
 * effective agent and checks (defaults applied), and one edge per {@code needs} entry.
 *
 * @param name the workflow's name
 * @param nodes the nodes, in the order the file lists them
 * @param edges {@code from -> to} for each {@code needs} entry, ordered by {@code to}, then by the
 *     order of its {@code needs}
 */
public record WorkflowGraph(String name, List<Node> nodes, List<Edge> edges) {

  public WorkflowGraph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /**
   * One node.
   *
   * @param id the node id
   * @param agent the agent that runs it, or {@code null} for a composed node
   * @param needs the ids it waits for
   * @param checks the names of its checks, in order
   * @param uses the workflow file a composed node runs, or {@code null}
   */
  public record Node(
      String id, String agent, List<String> needs, List<String> checks, String uses) {
    public Node {
      needs = List.copyOf(needs);
      checks = List.copyOf(checks);
    }
  }

  /** An edge: {@code to} needs {@code from}. */
  public record Edge(String from, String to) {}

  /** The graph of a (valid) workflow. Linear in nodes plus edges. */
  public static WorkflowGraph of(Workflow workflow) {
    List<Node> nodes = new ArrayList<>(workflow.nodes().size());
    List<Edge> edges = new ArrayList<>();
    for (String id : workflow.nodes().keySet()) {
      NodeSpec node = workflow.effectiveNode(id);
      List<String> checks = node.checksOrEmpty().stream().map(CheckSpec::name).toList();
      String agent = node.isComposed() ? null : node.agentOrDefault();
      nodes.add(new Node(id, agent, node.needs(), checks, node.uses()));
      for (String need : node.needs()) {
        edges.add(new Edge(need, id));
      }
    }
    return new WorkflowGraph(workflow.name(), nodes, edges);
  }
}
