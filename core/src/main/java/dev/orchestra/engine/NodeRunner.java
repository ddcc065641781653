package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.check.CheckContext;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.Executor;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputListener;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.Watch;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the attempts of one node on a worker thread: prompt assembly, the agent under its timeouts
 * and budget, the checks, feedback and backoff between attempts, and the named outputs. Reports one
 * {@link NodeOutcome} to the coordinator at the end.
 */
final class NodeRunner implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);

  private final Coordinator coordinator;
  private final GraphNode node;
  private final RunServices services;
  private final NodeControl control;
  private final String runId;
  private final SecretMasker masker;
  private int attempt;

  /** The node as its agent and critics see it: {@code model} and {@code endpoint} rendered. */
  private NodeSpec agentSpec;

  /** The node's credentials as variables: for the agent's process only, not for checks. */
  private Map<String, String> credentialEnv = Map.of();

  /** The local executor, for run checks that say {@code executor: local}. */
  private Executor local;

  /** Instructions to resolve the conflicts of the merged upstream work first, or null. */
  private String conflict;

  /** Files in an attempt directory larger than this are not rewritten to mask secrets. */
  private static final long MAX_MASKED_FILE_BYTES = 64L << 20;

  /** Consecutive rate-limit waits of one node before it ends in error. */
  static final int MAX_RATE_LIMIT_WAITS = 10;

  /** The usage of the current attempt: its agent's and its critics'. Node thread only. */
  private Usage attemptUsage = Usage.ZERO;

  NodeRunner(Coordinator coordinator, GraphNode node) {
    this.coordinator = coordinator;
    this.node = node;
    this.services = coordinator.services();
    this.control = node.control;
    this.runId = coordinator.runId();
    this.masker = coordinator.masker();
    this.attempt = node.attempt;
  }

  @Override
  public void run() {
    NodeOutcome outcome;
    Path workspace = null;
    NodeWorkspace request = null;
    try {
      request =
          new NodeWorkspace(
              runId,
              node.id,
              coordinator.workspaceSpec(),
              Upstream.of(node),
              "agent".equals(node.spec.onConflict()));
      PreparedWorkspace prepared = services.workspaces().prepare(request);
      workspace = prepared.directory();
      conflict = prepared.conflict();
      outcome = attempts(workspace);
    } catch (OrchestraException e) {
      outcome = NodeOutcome.error(e.getMessage(), attempt);
    } catch (RuntimeException e) {
      LOG.error("run {}: node {} crashed the engine's runner", runId, node.id, e);
      outcome = NodeOutcome.error("internal error: " + e, attempt);
    }
    if (workspace != null) {
      try {
        services
            .workspaces()
            .finish(request, workspace, outcome.status(), masker.mask(outcome.output()));
      } catch (RuntimeException e) {
        LOG.warn("run {}: finishing the workspace of node {} failed", runId, node.id, e);
        if (outcome.status() == NodeStatus.SUCCEEDED) {
          // Work that could not be committed is not a result downstream nodes can build on.
          outcome =
              NodeOutcome.error("committing the node's work failed: " + e.getMessage(), attempt);
        }
      }
    }
    coordinator.nodeFinished(node, masked(outcome));
  }

  private NodeOutcome attempts(Path workspace) {
    NodeSpec spec = node.spec;
    Agent agent = services.agents().get(node.agent());
    if (agent == null) {
      return NodeOutcome.error(
          "unknown agent '"
              + node.agent()
              + "'; this build runs: "
              + String.join(", ", new TreeSet<>(services.agents().keySet())),
          attempt);
    }
    ExecutorKind kind = spec.executorOrDefault();
    Function<NodeSpec, Executor> perNode = services.executors().get(kind);
    if (perNode == null) {
      return NodeOutcome.error(
          kind == ExecutorKind.DOCKER
              ? "the Docker executor is not available in this build; use 'executor: local'"
              : "no executor '"
                  + kind.name().toLowerCase(java.util.Locale.ROOT)
                  + "' is configured",
          attempt);
    }
    Executor base = perNode.apply(spec);
    // A run check with 'executor: local' runs here even when the node runs in a container.
    Function<NodeSpec, Executor> localPerNode = services.executors().get(ExecutorKind.LOCAL);
    local = localPerNode == null ? null : control.track(localPerNode.apply(spec));
    credentialEnv =
        NodeCredentials.resolve(
            node.id, node.agent(), spec.credentialsOrEmpty(), services.credentials(), masker);
    Executor executor = control.track(base);
    Map<String, String> env = new LinkedHashMap<>();
    spec.envOrEmpty()
        .forEach(
            (k, v) ->
                env.put(
                    k,
                    node.scope.render(
                        v, "env " + k + " of node '" + node.id + "'", runId, services.env())));
    agentSpec =
        spec.toBuilder()
            .model(renderedKey(spec.model(), "model"))
            .endpoint(renderedKey(spec.endpoint(), "endpoint"))
            .build();
    String basePrompt = services.prompts().assemble(node, workspace, runId, services.env());
    if (conflict != null) {
      basePrompt = basePrompt.isEmpty() ? conflict : conflict + "\n\n" + basePrompt;
    }

    int tries = 0;
    int rateLimited = 0;
    String feedback = null;
    String session = null;
    while (true) {
      if (control.isStopped()) {
        return stopped(null);
      }
      attempt++;
      node.status = NodeStatus.RUNNING;
      coordinator.emit(new Event.NodeStarted(node.id, attempt));
      // The node that waited for a rate limit goes first; the held ones follow.
      coordinator.release(node);
      Step step;
      Path attemptDir = null;
      try (AttemptRecorder rec = coordinator.recorder().attempt(node.id, attempt)) {
        attemptDir = rec.directory();
        attemptUsage = Usage.ZERO;
        step =
            attempt(
                agent,
                recording(executor, rec),
                workspace,
                env,
                basePrompt,
                feedback,
                session,
                rec);
        rec.usage(attemptUsage);
      } catch (OrchestraException e) {
        return NodeOutcome.error(e.getMessage(), attempt);
      } finally {
        // The agent's own files there (e.g. ORCHESTRA_OUTPUT_FILE) bypass the recorder.
        if (attemptDir != null) {
          masker.maskFiles(attemptDir, MAX_MASKED_FILE_BYTES);
        }
      }
      if (step.outcome != null) {
        return step.outcome;
      }
      String reason;
      long delay;
      if (step.rateLimit != null) {
        rateLimited++;
        if (rateLimited > MAX_RATE_LIMIT_WAITS) {
          return new NodeOutcome(
              NodeStatus.ERROR,
              "still rate limited after "
                  + MAX_RATE_LIMIT_WAITS
                  + " waits ("
                  + step.rateLimit
                  + "); try again later or lower limits.agents for '"
                  + node.agent()
                  + "'",
              step.agent.output(),
              null,
              attempt);
        }
        AgentResult r = step.agent;
        delay =
            r.retryAfter() != null
                ? r.retryAfter().toMillis()
                : jitter(spec.backoffOrDefault().before(rateLimited + 1));
        coordinator.emit(new Event.NodeRateLimited(node.id, attempt + 1, delay, step.rateLimit));
        node.status = NodeStatus.RATE_LIMITED;
      } else {
        rateLimited = 0;
        tries++;
        if (tries >= spec.attemptsOrDefault()) {
          return step.lastAttempt;
        }
        feedback = step.feedback;
        reason = step.retryReason;
        delay = jitter(spec.backoffOrDefault().before(tries + 1));
        coordinator.emit(new Event.NodeRetrying(node.id, attempt + 1, delay, reason));
        node.status = NodeStatus.RETRYING;
      }
      if (step.agent != null && step.agent.sessionId() != null) {
        session = step.agent.sessionId();
      }
      // While this node waits for the provider's reset, other nodes of its agent would only hit
      // the same limit: the coordinator holds them back until this node has started again (or
      // ended: the coordinator then drops the hold).
      if (step.rateLimit != null) {
        coordinator.holdBack(node, delay);
      }
      if (!control.await(delay)) {
        return stopped(step.agent == null ? null : step.agent.output());
      }
    }
  }

  /**
   * {@code executor}, recording the process group of every process it starts (agent and checks) in
   * the attempt's records, so that a resume after a crash of this JVM can end them ({@link
   * Orphans}).
   */
  private static Executor recording(Executor executor, AttemptRecorder rec) {
    return (spec, listener) -> {
      OutputGate gate = new OutputGate(listener);
      Execution execution = executor.start(spec, gate);
      try {
        execution.processGroup().ifPresent(rec::process);
      } catch (RuntimeException e) {
        execution.kill();
        throw e;
      } finally {
        gate.open();
      }
      return execution;
    };
  }

  /** What one attempt led to: a final outcome, or a retry (with feedback) or a rate-limit wait. */
  private static final class Step {
    NodeOutcome outcome;
    NodeOutcome lastAttempt;
    AgentResult agent;
    String feedback;
    String retryReason;
    String rateLimit;
  }

  private Step attempt(
      Agent agent,
      Executor executor,
      Path workspace,
      Map<String, String> env,
      String basePrompt,
      String feedback,
      String session,
      AttemptRecorder rec) {
    Step step = new Step();
    String prompt =
        feedback == null
            ? basePrompt
            : basePrompt.isEmpty() ? feedback : basePrompt + "\n\n" + feedback;
    rec.prompt(prompt);
    AgentLaunch launch =
        agent.prepare(
            new AgentRequest(
                runId,
                node.id,
                attempt,
                agentSpec,
                prompt,
                feedback,
                session,
                workspace,
                rec.directory(),
                withCredentials(env)));
    AgentSink sink =
        new AgentSink() {
          @Override
          public void output(String stream, String text) {
            coordinator.emit(new Event.NodeOutput(node.id, stream, text));
          }

          @Override
          public void usage(Usage soFar) {
            String over = coordinator.attemptUsage(node, soFar);
            if (over != null) {
              control.stop(NodeStatus.BUDGET_EXCEEDED, over);
            }
          }
        };
    Watch watch =
        services.watchdog().newWatch(node.spec.timeoutOrDefault(), node.spec.idleTimeout());
    OutputListener deliver =
        (stream, line) -> {
          rec.line(stream, line);
          launch.reader().onLine(stream, line, sink);
        };
    // The one path of agent output: masked per stream before records, reader and events see it.
    SecretMasker.Lines stdout = masker.lines();
    SecretMasker.Lines stderr = masker.lines();
    Execution execution =
        executor.start(
            launch.process(),
            watch.listener(
                (stream, line) -> {
                  for (String l : (stream == OutputStream.STDERR ? stderr : stdout).accept(line)) {
                    deliver.onLine(stream, l);
                  }
                }));
    watch.start(execution);
    ExitStatus exit;
    try {
      exit = execution.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      execution.kill();
      control.stop(NodeStatus.CANCELLED, "interrupted");
      exit = new ExitStatus(130, true, "interrupted");
    } finally {
      watch.close();
      control.ended(execution);
    }
    stdout.flush().forEach(l -> deliver.onLine(OutputStream.STDOUT, l));
    stderr.flush().forEach(l -> deliver.onLine(OutputStream.STDERR, l));
    EndedProcesses.report(exit, "the attempt", node.id, masker, rec::line, coordinator::emit);
    AgentResult result = masked(launch.reader().finish(exit));
    step.agent = result;
    String over = coordinator.commitUsage(node, result.usage());
    attemptUsage = attemptUsage.plus(result.usage());
    if (control.isStopped()) {
      step.outcome = stopped(result.output());
      return step;
    }
    if (watch.fired().isPresent()) {
      step.outcome =
          new NodeOutcome(
              NodeStatus.TIMED_OUT, watch.reason().orElseThrow(), result.output(), null, attempt);
      return step;
    }
    if (over != null) {
      step.outcome =
          new NodeOutcome(NodeStatus.BUDGET_EXCEEDED, over, result.output(), null, attempt);
      return step;
    }
    rec.output(result.output());
    switch (result.outcome()) {
      case AUTH_FAILED ->
          // Not retried: the same credentials would be refused again.
          step.outcome =
              NodeOutcome.error(
                  result.message() != null
                      ? result.message()
                      : NodeCredentials.refused(node.id, node.agent()),
                  attempt);
      case RATE_LIMITED ->
          step.rateLimit =
              "rate limited" + (result.message() != null ? ": " + result.message() : "");
      case FAILED -> {
        String message = result.message() != null ? result.message() : "the agent failed";
        // The executor's explanation (OOMKilled, a signal, a container that died) is the reason
        // a user needs; agents report only the exit code.
        if (exit.detail() != null && !message.contains(exit.detail())) {
          message = message + " (" + masker.mask(exit.detail()) + ")";
        }
        step.lastAttempt =
            new NodeOutcome(NodeStatus.ERROR, message, result.output(), null, attempt);
        step.retryReason = message;
        step.feedback = Feedback.agentFailed(attempt, message, result.output());
      }
      case COMPLETED -> checkAndRead(step, result, executor, workspace, env, rec);
    }
    return step;
  }

  private void checkAndRead(
      Step step,
      AgentResult result,
      Executor executor,
      Path workspace,
      Map<String, String> env,
      AttemptRecorder rec) {
    CheckResult failed = null;
    if (!node.spec.checksOrEmpty().isEmpty()) {
      node.status = NodeStatus.CHECKING;
      coordinator.emit(new Event.NodeChecking(node.id, attempt));
      int index = 0;
      for (CheckSpec spec : node.spec.checksOrEmpty()) {
        index++;
        CheckResult r;
        try {
          r =
              services
                  .checks()
                  .apply(rendered(spec))
                  .run(
                      new CheckContext(
                          runId,
                          node.id,
                          attempt,
                          workspace,
                          result.output(),
                          executorFor(spec, executor, rec),
                          env,
                          () -> services.workspaces().diff(runId, node.id, workspace),
                          new CriticCall(
                              coordinator,
                              node,
                              agentSpec,
                              attempt,
                              rec.directory().resolve("critic-" + index),
                              workspace,
                              executor,
                              env,
                              spent -> attemptUsage = attemptUsage.plus(spent))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          control.stop(NodeStatus.CANCELLED, "interrupted");
          r = new CheckResult(spec.name(), false, "interrupted");
        }
        if (control.isStopped()) {
          step.outcome = stopped(result.output());
          return;
        }
        rec.check(index, r);
        coordinator.emit(new Event.CheckFinished(node.id, r.check(), r.passed(), r.output()));
        if (!r.passed()) {
          failed = r;
          break;
        }
      }
    }
    if (failed == null) {
      Map<String, String> outputs;
      try {
        outputs = masker.mask(NamedOutputs.read(node.id, node.spec.outputsOrEmpty(), workspace));
      } catch (OrchestraException e) {
        step.outcome =
            new NodeOutcome(NodeStatus.FAILED, e.getMessage(), result.output(), null, attempt);
        return;
      }
      if (!outputs.isEmpty()) {
        rec.outputs(outputs);
      }
      step.outcome = new NodeOutcome(NodeStatus.SUCCEEDED, null, result.output(), outputs, attempt);
      return;
    }
    String reason = "check '" + failed.check() + "' failed";
    step.lastAttempt =
        new NodeOutcome(
            NodeStatus.FAILED,
            reason + " on attempt " + attempt + ", the last allowed",
            result.output(),
            null,
            attempt);
    step.retryReason = reason;
    step.feedback = Feedback.checkFailed(attempt, failed.check(), failed.output());
  }

  /** The node's executor, or the local one for a run check that says {@code executor: local}. */
  private Executor executorFor(CheckSpec check, Executor nodeExecutor, AttemptRecorder rec) {
    if (check instanceof CheckSpec.Run run
        && run.executor() == ExecutorKind.LOCAL
        && local != null) {
      return recording(local, rec);
    }
    return nodeExecutor;
  }

  private Map<String, String> withCredentials(Map<String, String> env) {
    if (credentialEnv.isEmpty()) {
      return env;
    }
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(credentialEnv);
    return all;
  }

  private AgentResult masked(AgentResult r) {
    return new AgentResult(
        r.outcome(),
        masker.mask(r.output()),
        r.usage(),
        r.sessionId(),
        masker.mask(r.message()),
        r.retryAfter());
  }

  /** Masked at the source, outputs flow downstream and into the result already masked. */
  private NodeOutcome masked(NodeOutcome o) {
    return new NodeOutcome(
        o.status(),
        masker.mask(o.reason()),
        masker.mask(o.output()),
        masker.mask(o.outputs()),
        o.attempt());
  }

  private NodeOutcome stopped(String output) {
    return new NodeOutcome(control.status(), control.reason(), output, null, attempt);
  }

  /** Equal jitter: half the backoff, plus a random part of the other half. */
  private long jitter(Duration backoff) {
    long ms = backoff.toMillis();
    if (ms <= 0) {
      return 0;
    }
    return ms / 2 + (long) (services.random().nextDouble() * (ms - ms / 2));
  }

  /** {@code model} and {@code endpoint} are templates (e.g. {@code {{ inputs.endpoint }}}). */
  private String renderedKey(String value, String key) {
    return value == null
        ? null
        : node.scope.render(value, key + " of node '" + node.id + "'", runId, services.env());
  }

  /** A critic's criteria are a template: rendered in the node's scope, like its prompt. */
  private CheckSpec rendered(CheckSpec spec) {
    if (spec instanceof CheckSpec.Critic c && c.prompt() != null) {
      return new CheckSpec.Critic(
          c.agent(),
          node.scope.render(
              c.prompt(), "critic prompt of node '" + node.id + "'", runId, services.env()),
          c.model());
    }
    return spec;
  }
}
