package dev.orchestra.state;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of a {@link RunState}: what its events say about it so far. Immutable.
 *
 * @param id the node id (a composed workflow's inner nodes are {@code outer/inner})
 * @param needs the ids of the nodes it needs, from the plan; empty for an unplanned node
 * @param agent its agent from the plan ({@code uses} for a composed node), or {@code null}
 * @param maxAttempts its total attempts from the plan; 0 when unknown
 * @param status its status; {@code pending} before any event
 * @param attempt the current (or last) attempt; 0 before the first
 * @param started when its first attempt started, or when it started again after it had ended (a
 *     resumed run); {@code null} before it started
 * @param finished when it reached its final status, or {@code null}
 * @param duration how long it ran, as {@code node_finished} says; {@code null} until then
 * @param usage its tokens and cost ({@code node_finished}'s: a composed node's is its inner nodes'
 *     sum); {@link Usage#ZERO} until it finished
 * @param reason why it ended without succeeding ({@code node_finished}'s reason: for a {@code
 *     skipped} node which node it waited for, for a rejected one who rejected it); {@code null}
 *     while it has not ended, or when it succeeded
 * @param lastFailure why its last failed attempt failed ({@code node_retrying}'s or {@code
 *     node_finished}'s reason), kept while later attempts run; {@code null} when none failed
 * @param lastLine the last line it printed, its last check's verdict or its last reason, or empty
 * @param waitingUntil while it is {@code retrying} or {@code rate_limited}: when the wait ends
 * @param approval its approval gate once an event named it, else {@code null}
 */
public record NodeState(
    String id,
    List<String> needs,
    String agent,
    int maxAttempts,
    NodeStatus status,
    int attempt,
    Instant started,
    Instant finished,
    Duration duration,
    Usage usage,
    String reason,
    String lastFailure,
    String lastLine,
    Instant waitingUntil,
    Approval approval) {

  public NodeState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    needs = needs == null ? List.of() : List.copyOf(needs);
    usage = usage == null ? Usage.ZERO : usage;
    lastLine = lastLine == null ? "" : lastLine;
  }

  /** The state of a planned node before any event. */
  public static NodeState of(PlannedNode plan) {
    return new NodeState(
        plan.id(),
        plan.needs(),
        plan.agent(),
        plan.attempts(),
        NodeStatus.PENDING,
        0,
        null,
        null,
        null,
        Usage.ZERO,
        null,
        null,
        "",
        null,
        null);
  }

  /**
   * How long it has run by {@code now}: its duration once it finished, else the time since it
   * started; empty before it started.
   */
  public Optional<Duration> elapsed(Instant now) {
    if (duration != null) {
      return Optional.of(duration);
    }
    return started == null ? Optional.empty() : Optional.of(Duration.between(started, now));
  }

  /** Whether it waits for a person to approve or reject it. */
  public boolean waitsForApproval() {
    return status == NodeStatus.WAITING_APPROVAL;
  }
}
