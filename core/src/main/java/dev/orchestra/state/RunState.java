package dev.orchestra.state;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A run's current state as its events tell it: the run's status, times and totals, and each node's
 * {@link NodeState}. The CLI's live view and {@code runs show}, the server's run snapshot and the
 * web UI show this; {@link RunProjector} folds events into one, {@link RunStateJson} writes it.
 * Immutable and thread-safe.
 *
 * @param id the run id, or {@code null} before an event named it
 * @param workflow the workflow's name from {@code run_started}, or {@code null}
 * @param inputs the run's inputs from {@code run_started}
 * @param status {@code running} until {@code run_finished} (and again after a resumed {@code
 *     run_started})
 * @param started when the run first started, or {@code null} before {@code run_started}
 * @param finished when it finished, or {@code null} while it runs (also after a resume)
 * @param reason why it did not succeed, or {@code null}
 * @param usage the run's tokens and cost: {@code run_finished}'s once it finished, else the sum of
 *     the nodes that finished (composed nodes counted through their inner nodes, as the engine
 *     does)
 * @param lastSeq the sequence number of the last event folded in; 0 before any
 * @param nodes the nodes: the planned ones in their order, then the others as events named them
 */
public record RunState(
    String id,
    String workflow,
    Map<String, String> inputs,
    RunStatus status,
    Instant started,
    Instant finished,
    String reason,
    Usage usage,
    long lastSeq,
    List<NodeState> nodes) {

  public RunState {
    Objects.requireNonNull(status, "status");
    inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
    usage = usage == null ? Usage.ZERO : usage;
    nodes = List.copyOf(nodes);
  }

  /** Folds {@code events} (e.g. a run's recorded events) into the state of a run planned so. */
  public static RunState of(String runId, List<PlannedNode> plan, List<RecordedEvent> events) {
    RunProjector projector = RunProjector.of(runId, plan);
    events.forEach(projector::apply);
    return projector.state();
  }

  /** The node with this id, if it was planned or an event named it. Linear in nodes. */
  public Optional<NodeState> node(String nodeId) {
    for (NodeState n : nodes) {
      if (n.id().equals(nodeId)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** How many nodes are in each status (statuses no node is in are absent). */
  public Map<NodeStatus, Integer> counts() {
    Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
    for (NodeState n : nodes) {
      counts.merge(n.status(), 1, Integer::sum);
    }
    return counts;
  }

  /** How many nodes reached a final status. */
  public int done() {
    int done = 0;
    for (NodeState n : nodes) {
      if (n.status().isTerminal()) {
        done++;
      }
    }
    return done;
  }

  /** How long the run has taken by {@code now}; empty before it started. */
  public Optional<Duration> elapsed(Instant now) {
    if (started == null) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(started, finished != null ? finished : now));
  }

  /** The nodes waiting for a person to approve or reject them, in node order. */
  public List<NodeState> waitingForApproval() {
    return nodes.stream().filter(NodeState::waitsForApproval).toList();
  }
}
