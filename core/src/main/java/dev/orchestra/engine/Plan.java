package dev.orchestra.engine;

import dev.orchestra.workflow.Approval;
import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.Workflow;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow planned for a CI pipeline that runs one node per process (docs/pipeline-plan.md): what
 * {@link PlannedRuns#plan}, {@link PlannedRuns#describe} and {@link PlannedRuns#replan} answer, and
 * what {@code orchestra plan --json} prints as {@code orchestra.plan/v1}.
 *
 * @param runId the run that was created, or {@code null} for a plan that created nothing
 * @param workflow the workflow as planned
 * @param inputs the input values the run uses (given, else declared defaults); a required input
 *     without a value is absent from a plan that created nothing
 * @param nodes every top-level node in a topological order, ties in file order
 */
public record Plan(String runId, Workflow workflow, Map<String, String> inputs, List<Node> nodes) {
  public Plan {
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    nodes = List.copyOf(nodes);
  }

  /**
   * One top-level node as a pipeline runs it. A composed node ({@code uses}) is one node, whose
   * {@code node exec} runs its whole workflow.
   *
   * @param id the node's id
   * @param needs its direct needs, in file order
   * @param upstream every node it needs directly or transitively, in plan order
   * @param agent its agent, or {@code null} for a composed node
   * @param uses the workflow a composed node runs, as written; {@code null} otherwise
   * @param executor where the workflow says it runs
   * @param image the image of a {@code docker} node; {@code null} otherwise
   * @param docker its docker options, or {@code null}
   * @param credentials exactly the credentials it needs (a composed node: its inner nodes'), each
   *     once, in file order
   * @param attempts its total tries (1 for a composed node)
   * @param timeout wall clock per attempt
   * @param idleTimeout its idle timeout, or {@code null}
   * @param stageTimeout the longest its node exec can take; see {@link PlanNodes#stageTimeout}
   * @param continueOnFailure whether its dependants run when it does not succeed
   * @param approval its gate (the message rendered with the inputs when it names nothing else), or
   *     {@code null}
   * @param succeeded whether an earlier session of a resumed run finished it: it is not run again
   */
  public record Node(
      String id,
      List<String> needs,
      List<String> upstream,
      String agent,
      String uses,
      ExecutorKind executor,
      String image,
      DockerOptions docker,
      List<Credential> credentials,
      int attempts,
      Duration timeout,
      Duration idleTimeout,
      Duration stageTimeout,
      boolean continueOnFailure,
      Approval approval,
      boolean succeeded) {
    public Node {
      needs = List.copyOf(needs);
      upstream = List.copyOf(upstream);
      credentials = List.copyOf(credentials);
    }

    /** Whether this node runs another workflow. */
    public boolean composed() {
      return uses != null;
    }
  }

  /**
   * A credential a node needs.
   *
   * @param name its name in the workflow
   * @param variable the environment variable node exec reads it from ({@code
   *     ORCHESTRA_CREDENTIAL_<NAME>})
   * @param agentVariable the variable the agent's process gets it in, or {@code null} when no node
   *     says
   */
  public record Credential(String name, String variable, String agentVariable) {}
}
