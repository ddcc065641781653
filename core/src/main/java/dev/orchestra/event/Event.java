package dev.orchestra.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A state change of a run (docs/runs.md, "Events"). Events are data: they are persisted, streamed
 * to the CLI, the server and Jenkins, and replayed to resume a run. {@link RecordedEvent} adds the
 * sequence number, time and run id.
 */
public sealed interface Event {

  /** The snake_case type written in the {@code type} field. */
  String type();

  /** The node id (composed inner nodes as {@code outer/inner}), or {@code null} for run events. */
  String node();

  /** The run began (or resumed: {@code resumed} is true). */
  record RunStarted(String workflow, Map<String, String> inputs, boolean resumed) implements Event {
    public RunStarted {
      inputs = Map.copyOf(inputs);
    }

    @Override
    public String type() {
      return "run_started";
    }

    @Override
    public String node() {
      return null;
    }
  }

  /** An attempt of a node began. */
  record NodeStarted(String node, int attempt) implements Event {
    @Override
    public String type() {
      return "node_started";
    }
  }

  /** Output of a node's agent: a line or chunk of {@code stdout}, {@code stderr} or text. */
  record NodeOutput(String node, String stream, String text) implements Event {
    @Override
    public String type() {
      return "node_output";
    }
  }

  /** The agent exited 0 and the node's checks began. */
  record NodeChecking(String node, int attempt) implements Event {
    @Override
    public String type() {
      return "node_checking";
    }
  }

  /** A check ran; {@code output} is the tail of its output. */
  record CheckFinished(String node, String check, boolean passed, String output) implements Event {
    @Override
    public String type() {
      return "check_finished";
    }
  }

  /** The node will be tried again as {@code attempt} after {@code delayMs}. */
  record NodeRetrying(String node, int attempt, long delayMs, String reason) implements Event {
    @Override
    public String type() {
      return "node_retrying";
    }
  }

  /**
   * The provider refused for a rate limit: the node waits {@code delayMs} and runs {@code attempt}
   * again without consuming an attempt. The node's status is {@code rate_limited} meanwhile.
   */
  record NodeRateLimited(String node, int attempt, long delayMs, String reason) implements Event {
    @Override
    public String type() {
      return "node_rate_limited";
    }
  }

  /**
   * The node's needs succeeded and it has an {@code approval} gate: it waits, in status {@code
   * waiting_approval} and holding no concurrency slot, until a person approves or rejects it.
   *
   * @param message the gate's message, rendered
   * @param approvers who may decide; empty for anyone
   */
  record NodeWaitingApproval(String node, String message, List<String> approvers) implements Event {
    public NodeWaitingApproval {
      approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }

    @Override
    public String type() {
      return "node_waiting_approval";
    }
  }

  /**
   * A person approved the node: it queues for a slot and runs.
   *
   * @param by who decided
   * @param comment what they said, or {@code null}
   * @param decidedAt when the decision was recorded (the event's time is when the run took it up)
   */
  record NodeApproved(String node, String by, String comment, Instant decidedAt) implements Event {
    @Override
    public String type() {
      return "node_approved";
    }
  }

  /**
   * A person rejected the node: it ends {@code failed} (a {@code node_finished} follows) and the
   * nodes that need it are skipped.
   *
   * @param by who decided
   * @param comment what they said, or {@code null}
   * @param decidedAt when the decision was recorded
   */
  record NodeRejected(String node, String by, String comment, Instant decidedAt) implements Event {
    @Override
    public String type() {
      return "node_rejected";
    }
  }

  /**
   * The node reached a final status. {@code reason} is set when it did not succeed; {@code usage}
   * is never {@code null} ({@link Usage#ZERO} when none was reported).
   */
  record NodeFinished(
      String node,
      NodeStatus status,
      int attempts,
      long durationMs,
      String reason,
      Usage usage,
      String output)
      implements Event {
    public NodeFinished {
      usage = usage == null ? Usage.ZERO : usage;
    }

    @Override
    public String type() {
      return "node_finished";
    }
  }

  /**
   * The run ended. {@code reason} says why when it did not succeed; may be {@code null}. {@code
   * usage} is never {@code null} ({@link Usage#ZERO} when none was reported).
   */
  record RunFinished(RunStatus status, Usage usage, String reason) implements Event {
    public RunFinished {
      usage = usage == null ? Usage.ZERO : usage;
    }

    @Override
    public String type() {
      return "run_finished";
    }

    @Override
    public String node() {
      return null;
    }
  }
}
