package dev.orchestra.state;

import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the views of a run take from its workflow, computed once from the parsed workflow when the
 * run starts and recorded with it, so that showing a run of 10,000 nodes does not parse its
 * workflow again: the planned nodes in the order views list them, and the top-level nodes that run
 * in containers with what their containers are given.
 *
 * @param nodes the top-level nodes in a topological order ({@link PlannedNode#of})
 * @param containers the top-level nodes that are not composed and whose executor is {@code docker},
 *     in file order
 */
public record RunPlan(List<PlannedNode> nodes, List<Container> containers) {

  /** A plan with no nodes: the workflow's text no longer parses. */
  public static final RunPlan EMPTY = new RunPlan(List.of(), List.of());

  public RunPlan {
    nodes = List.copyOf(nodes);
    containers = List.copyOf(containers);
  }

  /**
   * A top-level node that runs in containers.
   *
   * @param node the node id
   * @param image its image; {@code null} when the workflow names none
   * @param docker what its containers are given, every default filled in ({@link
   *     DockerOptions#withDefaults()})
   */
  public record Container(String node, String image, DockerOptions docker) {
    public Container {
      Objects.requireNonNull(node, "node");
      docker = Objects.requireNonNull(docker, "docker").withDefaults();
    }
  }

  /** The plan of a parsed workflow, its defaults applied. Linear in nodes plus edges. */
  public static RunPlan of(Workflow workflow) {
    List<Container> containers = new ArrayList<>();
    for (String id : workflow.nodes().keySet()) {
      NodeSpec node = workflow.effectiveNode(id);
      // A composed node runs no process of its own, whatever executor the defaults name.
      if (!node.isComposed() && node.executorOrDefault() == ExecutorKind.DOCKER) {
        DockerOptions docker =
            node.docker() != null ? node.docker() : new DockerOptions(null, null, null, null);
        containers.add(new Container(id, node.image(), docker));
      }
    }
    return new RunPlan(PlannedNode.of(workflow), containers);
  }
}
