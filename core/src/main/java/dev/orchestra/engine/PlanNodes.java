package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.Credentials;
import dev.orchestra.workflow.Approval;
import dev.orchestra.workflow.Backoff;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.CredentialRef;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The top-level nodes of a run's graph as {@link Plan.Node}s: in topological order (Kahn's
 * algorithm, ties by file order, O((nodes + edges) log nodes)), each with its transitive upstream,
 * its credentials and the backstop a pipeline wraps around its stage. Stateless.
 */
final class PlanNodes {
  /** What a stage's backstop allows beyond the node's own limits: JVM start, records, images. */
  static final Duration START_UP = Duration.ofMinutes(1);

  private PlanNodes() {}

  /**
   * The plan's nodes; {@code succeeded} tells which an earlier session finished.
   *
   * @throws OrchestraException when two credential names map to one environment variable
   */
  static List<Plan.Node> of(
      RunGraph graph, Set<String> succeeded, String runId, Map<String, String> env) {
    checkVariables(graph);
    List<GraphNode> order = topological(graph);
    Map<GraphNode, Integer> position = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    List<Plan.Node> nodes = new ArrayList<>();
    for (GraphNode n : order) {
      NodeSpec spec = n.spec;
      boolean composed = n.isComposite();
      nodes.add(
          new Plan.Node(
              n.id,
              spec.needs(),
              upstream(n, position),
              composed ? null : n.agent(),
              spec.uses(),
              spec.executorOrDefault(),
              !composed && spec.executorOrDefault() == ExecutorKind.DOCKER ? spec.image() : null,
              spec.docker(),
              credentials(n),
              composed ? 1 : spec.attemptsOrDefault(),
              spec.timeoutOrDefault(),
              composed ? null : spec.idleTimeout(),
              stageTimeout(n),
              spec.continuesOnFailure(),
              approval(n, runId, env),
              succeeded.contains(n.id)));
    }
    return nodes;
  }

  /** The top-level nodes, each after all of its needs, ties in file order. */
  static List<GraphNode> topological(RunGraph graph) {
    List<GraphNode> top = graph.nodes.stream().filter(n -> n.parent == null).toList();
    Map<GraphNode, Integer> index = new HashMap<>();
    Map<GraphNode, Integer> missing = new HashMap<>();
    PriorityQueue<GraphNode> free =
        new PriorityQueue<>((a, b) -> Integer.compare(index.get(a), index.get(b)));
    for (int i = 0; i < top.size(); i++) {
      GraphNode n = top.get(i);
      index.put(n, i);
      missing.put(n, n.needs.size());
      if (n.needs.isEmpty()) {
        free.add(n);
      }
    }
    List<GraphNode> order = new ArrayList<>();
    while (!free.isEmpty()) {
      GraphNode n = free.poll();
      order.add(n);
      for (GraphNode d : n.dependents) {
        if (missing.merge(d, -1, Integer::sum) == 0) {
          free.add(d);
        }
      }
    }
    return order;
  }

  private static List<String> upstream(GraphNode n, Map<GraphNode, Integer> position) {
    Set<GraphNode> seen = new LinkedHashSet<>();
    List<GraphNode> stack = new ArrayList<>(n.needs);
    while (!stack.isEmpty()) {
      GraphNode up = stack.remove(stack.size() - 1);
      if (seen.add(up)) {
        stack.addAll(up.needs);
      }
    }
    return seen.stream()
        .sorted((a, b) -> Integer.compare(position.get(a), position.get(b)))
        .map(g -> g.id)
        .toList();
  }

  /** The node's credentials, or for a composed node its inner nodes', each name once. */
  private static List<Plan.Credential> credentials(GraphNode n) {
    Map<String, Plan.Credential> byName = new LinkedHashMap<>();
    List<GraphNode> leaves = n.isComposite() ? n.descendants : List.of(n);
    for (GraphNode leaf : leaves) {
      if (leaf.isComposite()) {
        continue;
      }
      for (CredentialRef ref : leaf.spec.credentialsOrEmpty()) {
        byName.putIfAbsent(
            ref.name(),
            new Plan.Credential(
                ref.name(),
                Credentials.variableFor(ref.name()),
                NodeCredentials.variable(leaf.id, leaf.agent(), ref)));
      }
    }
    return List.copyOf(byName.values());
  }

  /** Refuses two credential names that one {@code ORCHESTRA_CREDENTIAL_*} variable would carry. */
  private static void checkVariables(RunGraph graph) {
    Map<String, String> nameByVariable = new HashMap<>();
    for (GraphNode n : graph.nodes) {
      for (CredentialRef ref :
          n.isComposite() ? List.<CredentialRef>of() : n.spec.credentialsOrEmpty()) {
        String variable = Credentials.variableFor(ref.name());
        String other = nameByVariable.putIfAbsent(variable, ref.name());
        if (other != null && !other.equals(ref.name())) {
          throw new OrchestraException(
              "credentials '"
                  + other
                  + "' and '"
                  + ref.name()
                  + "' would both be read from "
                  + variable
                  + " in a pipeline; rename one of them");
        }
      }
    }
  }

  /**
   * The longest a node exec of {@code n} can take: every attempt at its timeout plus its checks' (a
   * check without a timeout of its own counted at the node's), the backoff before every retry at
   * its full length, and {@link #START_UP}; for a composed node the sum over its inner nodes, as if
   * they ran one after another.
   */
  static Duration stageTimeout(GraphNode n) {
    return work(n).plus(START_UP);
  }

  private static Duration work(GraphNode n) {
    if (n.isComposite()) {
      Duration sum = Duration.ZERO;
      for (GraphNode c : n.children) {
        sum = sum.plus(work(c));
      }
      return sum;
    }
    NodeSpec spec = n.spec;
    Duration timeout = spec.timeoutOrDefault();
    Duration attempt = timeout;
    for (CheckSpec check : spec.checksOrEmpty()) {
      if (check instanceof CheckSpec.Run run) {
        attempt = attempt.plus(run.timeout() != null ? run.timeout() : timeout);
      } else if (check instanceof CheckSpec.Critic) {
        attempt = attempt.plus(timeout);
      }
    }
    int attempts = spec.attemptsOrDefault();
    Duration total = attempt.multipliedBy(attempts);
    Backoff backoff = spec.backoffOrDefault();
    for (int next = 2; next <= attempts; next++) {
      total = total.plus(backoff.before(next));
    }
    return total;
  }

  /** The gate with its message rendered when it names only inputs and the run id. */
  private static Approval approval(GraphNode n, String runId, Map<String, String> env) {
    Approval gate = n.spec.approval();
    if (gate == null) {
      return null;
    }
    String message = gate.messageOrDefault();
    try {
      message = n.scope.render(message, "the approval message", runId, env);
    } catch (OrchestraException e) {
      // It names a node's output, known only once that node ran: node exec renders it then.
    }
    return new Approval(message, gate.approvers());
  }
}
