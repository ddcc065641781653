package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.check.CheckContext;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.Executor;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.ExecutorKind;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The checks of one attempt whose agent completed, in order until one fails, then the node's named
 * outputs: the attempt is accepted (the node succeeded), rejected with the failed check's output as
 * feedback, or the node ends (stopped meanwhile, a named output it cannot read). Runs on the node's
 * thread.
 */
final class CheckStep {
  private final NodeSupervisor supervisor;
  private final RunContext run;
  private final PreparedNode node;
  private final int attempt;
  private final AttemptRecorder rec;
  private final Executor executor;
  private final Consumer<Usage> spent;
  private final Path scratch;

  /**
   * @param scratch the agent's attempt directory outside the records; critics' agents work in
   *     {@code critic-N} there
   * @param executor the node's executor for this attempt (tracked and recording)
   * @param spent told what each critic spent
   */
  CheckStep(
      NodeSupervisor supervisor,
      PreparedNode node,
      int attempt,
      AttemptRecorder rec,
      Path scratch,
      Executor executor,
      Consumer<Usage> spent) {
    this.supervisor = supervisor;
    this.scratch = scratch;
    this.run = supervisor.run();
    this.node = node;
    this.attempt = attempt;
    this.rec = rec;
    this.executor = executor;
    this.spent = spent;
  }

  AttemptResult run(AgentResult agent) {
    GraphNode n = node.node();
    NodeControl control = node.control();
    if (!n.spec.checksOrEmpty().isEmpty()) {
      run.emit(new Event.NodeChecking(n.id, attempt));
      int index = 0;
      for (CheckSpec spec : n.spec.checksOrEmpty()) {
        index++;
        CheckResult r;
        try {
          r = run.services().checks().apply(rendered(spec)).run(context(index, spec, agent));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          control.stop(NodeStatus.CANCELLED, "interrupted");
          r = new CheckResult(spec.name(), false, "interrupted");
        }
        if (control.isStopped()) {
          return new AttemptResult.Done(NodeOutcome.stopped(control, agent.output(), attempt));
        }
        rec.check(index, r);
        run.emit(new Event.CheckFinished(n.id, r.check(), r.passed(), r.output()));
        if (!r.passed()) {
          String reason = "check '" + r.check() + "' failed";
          return new AttemptResult.Rejected(
              NodeOutcome.failed(
                  reason + " on attempt " + attempt + ", the last allowed",
                  agent.output(),
                  attempt),
              reason,
              Feedback.checkFailed(attempt, r.check(), r.output()),
              agent);
        }
      }
    }
    Map<String, String> outputs;
    try {
      outputs = run.masker().mask(NamedOutputs.read(n.id, n.spec.outputsOrEmpty(), node.files()));
    } catch (OrchestraException e) {
      return new AttemptResult.Done(NodeOutcome.failed(e.getMessage(), agent.output(), attempt));
    }
    if (!outputs.isEmpty()) {
      rec.outputs(outputs);
    }
    return new AttemptResult.Done(NodeOutcome.succeeded(agent.output(), outputs, attempt));
  }

  private CheckContext context(int index, CheckSpec spec, AgentResult agent) {
    GraphNode n = node.node();
    return new CheckContext(
        run.runId(),
        n.id,
        attempt,
        node.workspace(),
        agent.output(),
        executorFor(spec),
        node.env(),
        () -> run.services().workspaces().diff(run.runId(), n.id, node.workspace()),
        new CriticCall(
            supervisor,
            node,
            attempt,
            rec.directory().resolve("critic-" + index),
            scratch.resolve("critic-" + index),
            executor,
            spent),
        node.files());
  }

  /** The node's executor, or the local one for a run check that says {@code executor: local}. */
  private Executor executorFor(CheckSpec check) {
    if (check instanceof CheckSpec.Run r && r.executor() == ExecutorKind.LOCAL) {
      return node.local().map(local -> AttemptStep.recording(local, rec)).orElse(executor);
    }
    return executor;
  }

  /** A critic's criteria are a template: rendered in the node's scope, like its prompt. */
  private CheckSpec rendered(CheckSpec spec) {
    if (spec instanceof CheckSpec.Critic c && c.prompt() != null) {
      GraphNode n = node.node();
      return new CheckSpec.Critic(
          c.agent(),
          PreparedNode.render(run, n, c.prompt(), "critic prompt of node '" + n.id + "'"),
          c.model());
    }
    return spec;
  }
}
