package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.Executor;
import dev.orchestra.store.AttemptRecorder;
import java.nio.file.Path;

/**
 * One attempt of a node, on the node's thread: its prompt (with the previous attempt's feedback),
 * its agent's process ({@link AgentProcess}), then, when the agent completed, its checks and named
 * outputs ({@link CheckStep}); recorded in the attempt's records, with what it spent.
 */
final class AttemptStep {
  private final NodeSupervisor supervisor;
  private final RunContext run;
  private final PreparedNode node;
  private final AgentProcess process;

  AttemptStep(NodeSupervisor supervisor, PreparedNode node) {
    this.supervisor = supervisor;
    this.run = supervisor.run();
    this.node = node;
    this.process = new AgentProcess(supervisor, node.node(), node.control());
  }

  /**
   * Runs attempt number {@code attempt}.
   *
   * @param feedback why the previous attempt was not accepted, or {@code null}
   * @param session the agent's session to resume, or {@code null}
   */
  AttemptResult run(int attempt, String feedback, String session) {
    try (AttemptRecorder rec = run.recorder().attempt(node.node().id, attempt)) {
      Path scratch = run.services().scratch().attempt(run.runId(), node.node().id, attempt);
      try {
        Spent spent = new Spent();
        AttemptResult result = attempt(rec, scratch, attempt, feedback, session, spent);
        rec.usage(spent.total);
        return result;
      } finally {
        // The agent's own files (e.g. ORCHESTRA_OUTPUT_FILE, its CLI's transcripts) were written
        // outside the records; they enter them masked. The records' directory is asked for only
        // when there is such a file: a store may create it on demand.
        try {
          run.services().scratch().export(scratch, rec::directory, run.masker());
        } catch (OrchestraException e) {
          run.recorder().failed(e);
        }
      }
    } catch (OrchestraException e) {
      return new AttemptResult.Done(NodeOutcome.error(e.getMessage(), attempt));
    }
  }

  /**
   * @param scratch the agent's attempt directory, outside the records ({@link AgentScratch})
   */
  private AttemptResult attempt(
      AttemptRecorder rec,
      Path scratch,
      int attempt,
      String feedback,
      String session,
      Spent spent) {
    GraphNode n = node.node();
    String base = node.basePrompt();
    String prompt = feedback == null ? base : base.isEmpty() ? feedback : base + "\n\n" + feedback;
    rec.prompt(prompt);
    AgentLaunch launch =
        node.agent()
            .prepare(
                new AgentRequest(
                    run.runId(),
                    n.id,
                    attempt,
                    node.agentSpec(),
                    prompt,
                    feedback,
                    session,
                    node.workspace(),
                    scratch,
                    node.agentEnv()));
    Executor executor = recording(node.executor(), rec);
    CappedOutput.Attempt output =
        new CappedOutput.Attempt(
            CappedOutput.logs(n.spec, node.files().trust()),
            rec::line,
            (stream, text) -> run.emit(new Event.NodeOutput(n.id, stream, text)));
    AgentProcess.Ended ended;
    try {
      ended =
          process.run(
              n.agent(),
              "the attempt",
              executor,
              launch,
              output::record,
              output::event,
              spent::add);
    } finally {
      output.finish();
    }
    AgentResult result = ended.result();
    if (ended instanceof AgentProcess.Ended.Stopped) {
      return new AttemptResult.Done(NodeOutcome.stopped(node.control(), result.output(), attempt));
    }
    if (ended instanceof AgentProcess.Ended.TimedOut t) {
      return new AttemptResult.Done(NodeOutcome.timedOut(t.reason(), result.output(), attempt));
    }
    rec.output(result.output());
    if (ended instanceof AgentProcess.Ended.Refused r) {
      // Not retried: the same credentials would be refused again.
      return new AttemptResult.Done(NodeOutcome.error(r.message(), attempt));
    }
    if (ended instanceof AgentProcess.Ended.RateLimited r) {
      return new AttemptResult.RateLimited(r.reason(), result);
    }
    if (ended instanceof AgentProcess.Ended.Failed f) {
      // The executor's explanation (OOMKilled, a signal, a container that died) is the reason a
      // user needs; agents report only the exit code.
      String message = f.explained();
      return new AttemptResult.Rejected(
          NodeOutcome.error(message, result.output(), attempt),
          message,
          Feedback.agentFailed(attempt, message, result.output()),
          result);
    }
    if (ended instanceof AgentProcess.Ended.Completed) {
      return new CheckStep(supervisor, node, attempt, rec, scratch, executor, spent::add)
          .run(result);
    }
    throw new IllegalStateException("an agent's process cannot end as " + ended);
  }

  /**
   * {@code executor}, recording the process group of every process it starts (agent and checks) in
   * the attempt's records, so that a resume after a crash of this JVM can end them ({@link
   * Orphans}).
   */
  static Executor recording(Executor executor, AttemptRecorder rec) {
    return (spec, listener) -> {
      // A line that became an event before the group's record is durable could be followed by a
      // crash that leaves the group where no resume finds it: output waits for the record.
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

  /** What the attempt spent: its agent's usage and its critics'. The node's thread only. */
  private static final class Spent {
    Usage total = Usage.ZERO;

    void add(Usage usage) {
      total = total.plus(usage);
    }
  }
}
