package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.trust.Trust;
import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's nodes as one graph: composed workflows ({@code uses}) are flattened into it, their nodes
 * named {@code outer/inner}. A composed node starts (renders its {@code with}) before its inner
 * nodes and finishes after all of them. Building is O(nodes + edges).
 */
final class RunGraph {
  final Scope root;
  final List<GraphNode> nodes = new ArrayList<>();
  final Map<String, GraphNode> byId = new LinkedHashMap<>();

  /** How far the run trusts its workflow. */
  final Trust trust;

  /** The rule for {@code prompt_file} and {@code uses}: inside the top workflow's repository. */
  final WorkspacePaths repository;

  private RunGraph(Scope root, Trust trust, WorkspacePaths repository) {
    this.root = root;
    this.trust = trust;
    this.repository = repository;
  }

  /**
   * @throws OrchestraException when a {@code uses} leads out of the workflow's repository (under
   *     {@link Trust#UNTRUSTED}), cannot be read, or the needs form a cycle
   */
  static RunGraph build(Workflow workflow, WorkflowReader loader, Path defaultDir, Trust trust) {
    Path file = workflow.file();
    Path dir =
        file != null && file.toAbsolutePath().getParent() != null
            ? file.toAbsolutePath().getParent()
            : defaultDir;
    RunGraph g =
        new RunGraph(
            new Scope(workflow, "", dir),
            trust,
            WorkspacePaths.repository(file != null ? file : dir.resolve("workflow.yaml"), trust));
    Deque<Path> chain = new ArrayDeque<>();
    if (file != null) {
      chain.push(file.toAbsolutePath().normalize());
    }
    g.add(g.root, null, loader, chain);
    return g;
  }

  private void add(Scope scope, GraphNode parent, WorkflowReader loader, Deque<Path> chain) {
    Workflow wf = scope.workflow;
    for (String id : wf.nodes().keySet()) {
      NodeSpec spec = wf.effectiveNode(id);
      scope.nodes.put(id, new GraphNode(scope.prefix + id, id, spec, scope, parent));
    }
    for (GraphNode n : scope.nodes.values()) {
      for (String need : n.spec.needs()) {
        GraphNode up = scope.nodes.get(need);
        if (up == null) {
          throw new OrchestraException(
              "node '" + n.id + "' needs '" + need + "', which is not a node of " + where(scope));
        }
        up.dependents.add(n);
        n.needs.add(up);
        n.remaining++;
      }
      if (parent != null) {
        parent.children.add(n);
        if (n.needs.isEmpty()) {
          // Inner nodes without needs wait for their composed node to start.
          parent.innerRoots.add(n);
          n.remaining++;
        }
        for (GraphNode a = parent; a != null; a = a.parent) {
          a.descendants.add(n);
        }
      }
    }
    checkAcyclic(scope);
    for (GraphNode n : scope.nodes.values()) {
      nodes.add(n);
      byId.put(n.id, n);
      if (n.spec.isComposed()) {
        Path file = usedFile(scope, n);
        if (chain.contains(file)) {
          throw new OrchestraException(
              "node '"
                  + n.id
                  + "' uses "
                  + file
                  + ", which is already being used: a cycle of"
                  + " composed workflows");
        }
        Workflow inner = loader.load(file, trust);
        n.innerScope = new Scope(inner, n.id + "/", file.getParent());
        chain.push(file);
        add(n.innerScope, n, loader, chain);
        chain.pop();
      }
    }
  }

  /** The file {@code n} uses, under the path rule. */
  private Path usedFile(Scope scope, GraphNode n) {
    WorkspacePaths.Resolved r = repository.regularFile(scope.dir, n.spec.uses());
    if (r instanceof WorkspacePaths.Refused refused) {
      throw new OrchestraException(
          "node '" + n.id + "' uses '" + n.spec.uses() + "', which " + refused.reason());
    }
    return ((WorkspacePaths.Inside) r).path();
  }

  private static String where(Scope scope) {
    return scope.workflow.file() != null ? scope.workflow.file().toString() : "the workflow";
  }

  /** Kahn's algorithm over one workflow's needs; names a node on a cycle. */
  private static void checkAcyclic(Scope scope) {
    Map<GraphNode, Integer> indegree = new java.util.HashMap<>();
    Deque<GraphNode> free = new ArrayDeque<>();
    for (GraphNode n : scope.nodes.values()) {
      indegree.put(n, n.needs.size());
      if (n.needs.isEmpty()) {
        free.add(n);
      }
    }
    int seen = 0;
    while (!free.isEmpty()) {
      GraphNode n = free.poll();
      seen++;
      for (GraphNode d : n.dependents) {
        if (indegree.merge(d, -1, Integer::sum) == 0) {
          free.add(d);
        }
      }
    }
    if (seen < scope.nodes.size()) {
      List<String> stuck = new ArrayList<>();
      indegree.forEach(
          (n, d) -> {
            if (d > 0) {
              stuck.add(n.id);
            }
          });
      stuck.sort(null);
      throw new OrchestraException(
          "the needs of "
              + where(scope)
              + " form a cycle through "
              + stuck
              + "; run `orchestra validate` to see it");
    }
  }
}
