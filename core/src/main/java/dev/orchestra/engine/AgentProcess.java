package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.Executor;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputListener;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.Watch;
import dev.orchestra.secret.SecretMasker;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs one process of an agent for a node, an attempt's or a critic's, and says how it {@link
 * Ended}: its output masked per stream before anyone sees it (records, the agent's reader, events),
 * the node's {@code timeout} and {@code idle_timeout}, its usage counted against the budgets as it
 * is reported (a budget it exceeds stops the node), and the node's stop (cancel, the run's timeout,
 * the run's budget) reaching the process through the node's tracked executor.
 *
 * <p>Blocks the node's thread until the process has ended; the output callbacks run on the
 * executor's reader threads. The process belongs to the node: it is ended before this returns.
 */
final class AgentProcess {
  private final NodeSupervisor supervisor;
  private final GraphNode node;
  private final NodeControl control;
  private final RunServices services;
  private final SecretMasker masker;

  AgentProcess(NodeSupervisor supervisor, GraphNode node, NodeControl control) {
    this.supervisor = supervisor;
    this.node = node;
    this.control = control;
    this.services = supervisor.run().services();
    this.masker = supervisor.run().masker();
  }

  /**
   * The agent called {@code name}.
   *
   * @throws OrchestraException naming the agents this build runs, when there is none of that name
   */
  static Agent find(Map<String, Agent> agents, String name) {
    Agent agent = agents.get(name);
    if (agent == null) {
      throw new OrchestraException(
          "unknown agent '"
              + name
              + "'; this build runs: "
              + String.join(", ", new TreeSet<>(agents.keySet())));
    }
    return agent;
  }

  /**
   * Starts {@code launch} on {@code executor}, waits for it and reads its result.
   *
   * @param agent the agent's name, for the message of refused credentials
   * @param subject what the process is to the user ({@code the attempt}, {@code the critic}), for
   *     the line that names the processes it left running and its executor ended
   * @param executor the node's executor, tracked by its control (and recording its processes)
   * @param lines told every masked output line before the agent's reader sees it
   * @param live told the live output the reader reports ({@code node_output})
   * @param spent told the usage of the finished process, after it was added to the node's and the
   *     run's
   */
  Ended run(
      String agent,
      String subject,
      Executor executor,
      AgentLaunch launch,
      OutputListener lines,
      BiConsumer<String, String> live,
      Consumer<Usage> spent) {
    AgentSink sink =
        new AgentSink() {
          @Override
          public void output(String stream, String text) {
            live.accept(stream, text);
          }

          @Override
          public void usage(Usage soFar) {
            supervisor.attemptUsage(node, soFar).ifPresent(this::stop);
          }

          private void stop(Overrun over) {
            control.stop(NodeStatus.BUDGET_EXCEEDED, over.reason());
          }
        };
    OutputListener deliver =
        (stream, line) -> {
          lines.onLine(stream, line);
          launch.reader().onLine(stream, line, sink);
        };
    Watch watch =
        services.watchdog().newWatch(node.spec.timeoutOrDefault(), node.spec.idleTimeout());
    // The one path of agent output: masked per stream, which also catches a secret split across
    // lines, before records, reader and events see it.
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
    EndedProcesses.report(exit, subject, node.id, masker, lines::onLine, supervisor.run()::emit);
    AgentResult result = masked(launch.reader().finish(exit));
    supervisor
        .commitUsage(node, result.usage())
        .ifPresent(over -> control.stop(NodeStatus.BUDGET_EXCEEDED, over.reason()));
    spent.accept(result.usage());
    if (control.isStopped()) {
      return new Ended.Stopped(result);
    }
    if (watch.reason().isPresent()) {
      return new Ended.TimedOut(result, watch.reason().orElseThrow());
    }
    return switch (result.outcome()) {
      case COMPLETED -> new Ended.Completed(result);
      case FAILED ->
          new Ended.Failed(
              result,
              result.message() != null ? result.message() : "the agent failed",
              masker.mask(exit.detail()));
      case RATE_LIMITED -> new Ended.RateLimited(result);
      case AUTH_FAILED ->
          new Ended.Refused(
              result,
              result.message() != null
                  ? result.message()
                  : NodeCredentials.refused(node.id, agent));
    };
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

  /** How an agent's process ended; every text in it is masked. */
  sealed interface Ended {

    /** What the agent's reader made of the process, masked. */
    AgentResult result();

    /** The agent completed its task; its final message is {@code result().output()}. */
    record Completed(AgentResult result) implements Ended {}

    /**
     * The agent failed.
     *
     * @param message the agent's explanation, or {@code the agent failed}
     * @param detail the executor's explanation (a signal, {@code OOMKilled}), or {@code null}
     */
    record Failed(AgentResult result, String message, String detail) implements Ended {

      /** The message with the executor's detail, which agents that report only a code lack. */
      String explained() {
        return detail != null && !message.contains(detail)
            ? message + " (" + detail + ")"
            : message;
      }
    }

    /** The provider refused for its rate limit; not the agent's fault, so not an attempt. */
    record RateLimited(AgentResult result) implements Ended {

      /** E.g. {@code rate limited: HTTP 429}. */
      String reason() {
        return "rate limited" + (result.message() != null ? ": " + result.message() : "");
      }

      /** The provider's reset hint, or {@code null}. */
      Duration retryAfter() {
        return result.retryAfter();
      }
    }

    /**
     * The provider refused the credentials; the same ones would be refused again.
     *
     * @param message the agent's explanation, or how to provide the credential its CLI reads
     */
    record Refused(AgentResult result, String message) implements Ended {}

    /** The node was stopped meanwhile: its control has the status and the reason. */
    record Stopped(AgentResult result) implements Ended {}

    /**
     * A limit of the node killed the process.
     *
     * @param reason e.g. {@code timed out after 30m (timeout)}
     */
    record TimedOut(AgentResult result, String reason) implements Ended {}
  }
}
