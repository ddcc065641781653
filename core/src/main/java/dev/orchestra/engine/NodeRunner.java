package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.NodeStatus;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node on a worker thread, wiring its steps: the node's workspace from the {@link
 * WorkspaceProvider}, the node prepared once ({@link PreparedNode}), its attempts ({@link
 * AttemptLoop}: {@link AttemptStep}, {@link AgentProcess}, {@link CheckStep}), the workspace
 * finished (the git provider commits there), and one {@link NodeOutcome}, masked, reported to the
 * supervisor, also when a step throws.
 *
 * <p>The runner never writes its {@link GraphNode}: the node's state changes only in its {@link
 * NodeSupervisor} (the coordinator, under its lock), from the outcome reported here and the usage
 * reported by {@link AgentProcess}. Live progress (retrying, checking, rate limited) is in the
 * events.
 */
final class NodeRunner implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);

  private final NodeSupervisor supervisor;
  private final RunContext run;
  private final GraphNode node;
  private final NodeControl control;
  private final int lastAttempt;

  /**
   * Made by the supervisor when it launches the node (the coordinator: under its lock).
   *
   * @param control the node's control, from this launch
   */
  NodeRunner(NodeSupervisor supervisor, GraphNode node, NodeControl control) {
    this.supervisor = supervisor;
    this.run = supervisor.run();
    this.node = node;
    this.control = control;
    this.lastAttempt = node.attempt;
  }

  @Override
  public void run() {
    NodeOutcome outcome;
    Path workspace = null;
    NodeWorkspace request = null;
    AttemptLoop attempts = null;
    try {
      request =
          new NodeWorkspace(
              run.runId(),
              node.id,
              run.workspaceSpec(),
              Upstream.of(node),
              node.spec.agentResolvesConflicts(),
              run.planned());
      PreparedWorkspace prepared = run.services().workspaces().prepare(request);
      workspace = prepared.directory();
      PreparedNode ready = PreparedNode.prepare(run, node, control, workspace, prepared.conflict());
      attempts = new AttemptLoop(supervisor, ready, lastAttempt);
      outcome = attempts.run();
    } catch (OrchestraException e) {
      outcome = NodeOutcome.error(e.getMessage(), attempt(attempts));
    } catch (RuntimeException e) {
      LOG.error("run {}: node {} crashed the engine's runner", run.runId(), node.id, e);
      outcome = NodeOutcome.error("internal error: " + e, attempt(attempts));
    }
    if (workspace != null) {
      outcome = finish(request, workspace, outcome);
    }
    supervisor.nodeFinished(node, outcome.masked(run.masker()));
  }

  private int attempt(AttemptLoop attempts) {
    return attempts == null ? lastAttempt : attempts.attempt();
  }

  /** Tells the provider the node ended; work it cannot commit is no success to build on. */
  private NodeOutcome finish(NodeWorkspace request, Path workspace, NodeOutcome outcome) {
    try {
      run.services()
          .workspaces()
          .finish(request, workspace, outcome.status(), run.masker().mask(outcome.output()));
      return outcome;
    } catch (RuntimeException e) {
      LOG.warn("run {}: finishing the workspace of node {} failed", run.runId(), node.id, e);
      if (outcome.status() == NodeStatus.SUCCEEDED) {
        return NodeOutcome.error(
            "committing the node's work failed: " + e.getMessage(), outcome.attempt());
      }
      return outcome;
    }
  }
}
