package dev.orchestra.state;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds a run's events, in sequence order, into its {@link RunState} (docs/runs.md, "Events"). The
 * CLI's live view keeps one as events arrive; {@code runs show} and the server fold the recorded
 * events into one, and get the same state as a view that saw them live.
 *
 * <p>How each event changes the state is stated on {@link #apply}. Events that do not fit are
 * handled so:
 *
 * <ul>
 *   <li>An event whose {@code seq} is not above the last one folded in (delivered twice, or late
 *       after a reconnect) is ignored, so a stream cut and resumed anywhere gives the same state.
 *   <li>A gap in the sequence is not waited for: the event is folded in, and the state is what the
 *       events that arrived say.
 *   <li>An event naming a node the plan does not list (a composed workflow's inner node) adds that
 *       node after the others.
 *   <li>An event out of the usual order for its node (e.g. {@code node_checking} with no {@code
 *       node_started}) is folded as it is: the node's status is the last event's.
 *   <li>An event of another run is refused with an {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>Every {@link Event} type has a rule; {@code EventJson} refuses a type this version does not
 * know, so a projector never sees one.
 *
 * <p>Costs: {@link #apply} is O(1) (plus the length of an output's last line) and allocates only
 * the values it keeps; {@link #state()} is O(nodes), cached until the next event, and allocates a
 * {@link NodeState} only for the nodes that changed since the last call. Not thread-safe: callers
 * synchronize; the states it hands out are immutable.
 */
public final class RunProjector {
  private final Map<String, Draft> nodes = new LinkedHashMap<>();
  private String runId;
  private String workflow;
  private Map<String, String> inputs = Map.of();
  private RunStatus status = RunStatus.RUNNING;
  private Instant started;
  private Instant finished;
  private String reason;
  private Usage reportedUsage;
  private long lastSeq;
  private RunState state;
  // The nodes' usage summed, kept until a node finishes or appears: a state is taken far more
  // often than that (the live view takes one on every status change).
  private Usage leafUsage;

  private RunProjector(String runId, List<PlannedNode> plan) {
    this.runId = runId;
    for (PlannedNode p : plan) {
      nodes.put(p.id(), new Draft(p));
    }
  }

  /**
   * A projector of a run whose nodes are {@code plan} (more are added as events name them).
   *
   * @param runId the run's id, or {@code null} to take it from the first event
   */
  public static RunProjector of(String runId, List<PlannedNode> plan) {
    return new RunProjector(runId, plan);
  }

  /** The sequence number of the last event folded in; 0 before any. */
  public long lastSeq() {
    return lastSeq;
  }

  /**
   * Folds in one event:
   *
   * <ul>
   *   <li>{@code run_started}: the run is {@code running} (again, after a resume: no longer
   *       finished), with the event's workflow and inputs; it started at the first one's time.
   *   <li>{@code run_finished}: the run's status, reason, usage and finish time.
   *   <li>{@code node_started}: {@code running}, the attempt; a node that had ended (a resumed run)
   *       starts anew: start time, no finish, duration or reason.
   *   <li>{@code node_output}: its last non-blank line is the node's last line.
   *   <li>{@code node_checking}: {@code checking}, the attempt.
   *   <li>{@code check_finished}: the verdict is the last line.
   *   <li>{@code node_retrying}: {@code retrying} until the event's time plus its delay; the reason
   *       is the last failure.
   *   <li>{@code node_rate_limited}: {@code rate_limited} until the event's time plus its delay
   *       (not a failure).
   *   <li>{@code node_waiting_approval}: {@code waiting_approval}, the gate's question and
   *       approvers, undecided.
   *   <li>{@code node_approved}: {@code pending} (it queues for a slot), the decision recorded.
   *   <li>{@code node_rejected}: the decision recorded; the status stays until the {@code
   *       node_finished} that follows.
   *   <li>{@code node_finished}: the final status, attempts, duration, usage, reason (also the last
   *       failure when it did not succeed) and finish time.
   * </ul>
   *
   * @return whether the run's or a node's status changed (or the run started or finished): views
   *     redraw at once then
   * @throws IllegalArgumentException when the event belongs to another run
   */
  public boolean apply(RecordedEvent recorded) {
    if (runId == null) {
      runId = recorded.run();
    } else if (!runId.equals(recorded.run())) {
      throw new IllegalArgumentException(
          "event " + recorded.seq() + " of run " + recorded.run() + " is not of run " + runId);
    }
    if (recorded.seq() <= lastSeq) {
      return false;
    }
    lastSeq = recorded.seq();
    state = null;
    Event event = recorded.event();
    Instant time = recorded.time();
    if (event instanceof Event.RunStarted e) {
      if (e.workflow() != null) {
        workflow = e.workflow();
      }
      inputs = e.inputs();
      if (started == null) {
        started = time;
      }
      status = RunStatus.RUNNING;
      finished = null;
      reason = null;
      reportedUsage = null;
      return true;
    }
    if (event instanceof Event.RunFinished e) {
      status = e.status();
      finished = time;
      reason = e.reason();
      reportedUsage = e.usage();
      return true;
    }
    if (event instanceof Event.NodeFinished) {
      leafUsage = null;
    }
    return node(event.node()).apply(event, time);
  }

  /** Folds in each event; see {@link #apply}. */
  public RunProjector applyAll(List<RecordedEvent> events) {
    events.forEach(this::apply);
    return this;
  }

  /** The state after the events folded in so far. */
  public RunState state() {
    if (state == null) {
      List<NodeState> views = new ArrayList<>(nodes.size());
      for (Draft d : nodes.values()) {
        views.add(d.view());
      }
      if (leafUsage == null) {
        leafUsage = sumOfLeaves(views);
      }
      Usage usage = finished != null && reportedUsage != null ? reportedUsage : leafUsage;
      state =
          new RunState(
              runId, workflow, inputs, status, started, finished, reason, usage, lastSeq, views);
    }
    return state;
  }

  /**
   * The usage of the nodes that are not composed, as the engine totals a run: a composed node's
   * usage is its inner nodes' sum, so counting both would count twice.
   */
  private static Usage sumOfLeaves(List<NodeState> views) {
    Set<String> composed = new HashSet<>();
    for (NodeState n : views) {
      if (PlannedNode.COMPOSED.equals(n.agent())) {
        composed.add(n.id());
      }
      for (int i = n.id().indexOf('/'); i > 0; i = n.id().indexOf('/', i + 1)) {
        composed.add(n.id().substring(0, i));
      }
    }
    Usage total = Usage.ZERO;
    for (NodeState n : views) {
      if (!composed.contains(n.id())) {
        total = total.plus(n.usage());
      }
    }
    return total;
  }

  private Draft node(String id) {
    Draft d = nodes.get(id);
    if (d == null) {
      d = new Draft(PlannedNode.unplanned(id));
      nodes.put(id, d);
      leafUsage = null;
    }
    return d;
  }

  /** The last non-blank line of {@code text}, tabs as spaces, without copying the rest of it. */
  static String lastLineOf(String text) {
    int end = text.length();
    while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    int start = text.lastIndexOf('\n', end - 1) + 1;
    return text.substring(start, end).replace('\t', ' ').strip();
  }

  private static String oneLine(String text) {
    return String.valueOf(text).strip().replaceAll("\\s+", " ");
  }

  /** A node's state while events change it; its {@link NodeState} is made again only if needed. */
  private static final class Draft {
    private final PlannedNode plan;
    private NodeStatus status = NodeStatus.PENDING;
    private int attempt;
    private Instant started;
    private Instant finished;
    private Duration duration;
    private Usage usage = Usage.ZERO;
    private String reason;
    private String lastFailure;
    private String lastLine = "";
    private Instant waitingUntil;
    private Approval approval;
    private NodeState view;

    Draft(PlannedNode plan) {
      this.plan = plan;
    }

    NodeState view() {
      if (view == null) {
        view =
            new NodeState(
                plan.id(),
                plan.needs(),
                plan.agent(),
                plan.attempts(),
                status,
                attempt,
                started,
                finished,
                duration,
                usage,
                reason,
                lastFailure,
                lastLine,
                waitingUntil,
                approval);
      }
      return view;
    }

    /** Folds in a node event; answers whether the node's status changed. */
    boolean apply(Event event, Instant time) {
      view = null;
      if (event instanceof Event.NodeStarted e) {
        attempt = e.attempt();
        if (started == null || status.isTerminal()) {
          started = time;
        }
        finished = null;
        duration = null;
        reason = null;
        waitingUntil = null;
        return set(NodeStatus.RUNNING);
      } else if (event instanceof Event.NodeOutput e) {
        if (e.text() != null) {
          String line = lastLineOf(e.text());
          if (!line.isEmpty()) {
            lastLine = line;
          }
        }
        return false;
      } else if (event instanceof Event.NodeChecking e) {
        attempt = e.attempt();
        return set(NodeStatus.CHECKING);
      } else if (event instanceof Event.CheckFinished e) {
        lastLine = "check '" + e.check() + "' " + (e.passed() ? "passed" : "failed");
        return false;
      } else if (event instanceof Event.NodeRetrying e) {
        lastFailure = e.reason();
        lastLine = "retrying: " + lastLineOf(String.valueOf(e.reason()));
        waitingUntil = time.plusMillis(e.delayMs());
        return set(NodeStatus.RETRYING);
      } else if (event instanceof Event.NodeRateLimited e) {
        lastLine = "rate limited: " + lastLineOf(String.valueOf(e.reason()));
        waitingUntil = time.plusMillis(e.delayMs());
        return set(NodeStatus.RATE_LIMITED);
      } else if (event instanceof Event.NodeWaitingApproval e) {
        approval = new Approval(e.message(), e.approvers(), null);
        lastLine = "waiting for approval: " + oneLine(e.message());
        return set(NodeStatus.WAITING_APPROVAL);
      } else if (event instanceof Event.NodeApproved e) {
        decide(new Approval.Decision(true, e.by(), e.comment(), e.decidedAt()));
        return set(NodeStatus.PENDING);
      } else if (event instanceof Event.NodeRejected e) {
        decide(new Approval.Decision(false, e.by(), e.comment(), e.decidedAt()));
        return false;
      } else if (event instanceof Event.NodeFinished e) {
        attempt = e.attempts();
        finished = time;
        duration = Duration.ofMillis(e.durationMs());
        usage = e.usage();
        reason = e.reason();
        waitingUntil = null;
        if (e.reason() != null) {
          lastLine = lastLineOf(e.reason());
          if (e.status() != NodeStatus.SUCCEEDED) {
            lastFailure = e.reason();
          }
        }
        return set(e.status());
      }
      return false;
    }

    private void decide(Approval.Decision d) {
      approval = (approval == null ? new Approval(null, List.of(), null) : approval).decided(d);
      lastLine = d.verdict() + " by " + d.by();
    }

    private boolean set(NodeStatus next) {
      boolean changed = status != next;
      status = next;
      return changed;
    }
  }
}
