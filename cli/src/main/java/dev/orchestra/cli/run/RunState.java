package dev.orchestra.cli.run;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the events of a run say about it so far: each node's status, attempt, start, duration, usage
 * and last output line, and what a node waiting for approval asks. The live view keeps one up to
 * date as events arrive; {@code runs show} folds the recorded events into one.
 *
 * <p>Not thread-safe: callers synchronize.
 */
public final class RunState {
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private RunStatus status = RunStatus.RUNNING;
  private Instant started;
  private Instant finished;
  private String reason;
  private Usage usage = Usage.ZERO;

  /** A node's state; fields change as events arrive. */
  public static final class Node {
    final String id;
    NodeStatus status = NodeStatus.PENDING;
    int attempt;
    Instant started;
    long durationMs = -1;
    Usage usage = Usage.ZERO;
    String lastLine = "";
    String reason;
    String approvalMessage;
    List<String> approvers = List.of();

    Node(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public NodeStatus status() {
      return status;
    }

    /** The current (or last) attempt, 0 before the first. */
    public int attempt() {
      return attempt;
    }

    /** When its first attempt in this session started, or {@code null}. */
    public Instant started() {
      return started;
    }

    /** Its duration once finished, else -1. */
    public long durationMs() {
      return durationMs;
    }

    public Usage usage() {
      return usage;
    }

    /** The last line it printed (output, check verdict or reason), or empty. */
    public String lastLine() {
      return lastLine;
    }

    /** Why it did not succeed, or {@code null}. */
    public String reason() {
      return reason;
    }

    /** While it waits for approval: what the person is asked; else {@code null}. */
    public String approvalMessage() {
      return approvalMessage;
    }

    /** While it waits for approval: who may decide (empty: anyone). */
    public List<String> approvers() {
      return approvers;
    }
  }

  /** A state that knows these node ids in this order (more are added as events name them). */
  public RunState(Collection<String> nodeIds) {
    for (String id : nodeIds) {
      nodes.put(id, new Node(id));
    }
  }

  /** Folds recorded events (e.g. from the run store) into a new state. */
  public static RunState of(Collection<String> nodeIds, List<RecordedEvent> events) {
    RunState state = new RunState(nodeIds);
    events.forEach(state::apply);
    return state;
  }

  /**
   * Applies one event.
   *
   * @return whether a node's or the run's status changed (views redraw at once then)
   */
  public boolean apply(RecordedEvent recorded) {
    Event event = recorded.event();
    if (event instanceof Event.RunStarted) {
      if (started == null) {
        started = recorded.time();
      }
      status = RunStatus.RUNNING;
      return true;
    }
    if (event instanceof Event.RunFinished e) {
      status = e.status();
      finished = recorded.time();
      reason = e.reason();
      usage = e.usage() == null ? Usage.ZERO : e.usage();
      return true;
    }
    Node n = node(event.node());
    if (event instanceof Event.NodeStarted e) {
      n.attempt = e.attempt();
      if (n.started == null || n.status.isTerminal()) {
        n.started = recorded.time();
      }
      n.durationMs = -1;
      n.reason = null;
      return set(n, NodeStatus.RUNNING);
    } else if (event instanceof Event.NodeOutput e) {
      if (e.text() != null && !e.text().isBlank()) {
        n.lastLine = lastLineOf(e.text());
      }
      return false;
    } else if (event instanceof Event.NodeChecking e) {
      n.attempt = e.attempt();
      return set(n, NodeStatus.CHECKING);
    } else if (event instanceof Event.CheckFinished e) {
      n.lastLine = "check '" + e.check() + "' " + (e.passed() ? "passed" : "failed");
      return false;
    } else if (event instanceof Event.NodeRetrying e) {
      n.lastLine = "retrying: " + lastLineOf(String.valueOf(e.reason()));
      return set(n, NodeStatus.RETRYING);
    } else if (event instanceof Event.NodeRateLimited e) {
      n.lastLine = "rate limited: " + lastLineOf(String.valueOf(e.reason()));
      return set(n, NodeStatus.RATE_LIMITED);
    } else if (event instanceof Event.NodeWaitingApproval e) {
      n.approvalMessage = e.message();
      n.approvers = e.approvers();
      n.lastLine =
          "waiting for approval: " + String.valueOf(e.message()).strip().replaceAll("\\s+", " ");
      return set(n, NodeStatus.WAITING_APPROVAL);
    } else if (event instanceof Event.NodeApproved e) {
      n.approvalMessage = null;
      n.lastLine = "approved by " + e.by();
      return set(n, NodeStatus.PENDING);
    } else if (event instanceof Event.NodeRejected e) {
      n.approvalMessage = null;
      n.lastLine = "rejected by " + e.by();
      return false;
    } else if (event instanceof Event.NodeFinished e) {
      n.approvalMessage = null;
      n.attempt = e.attempts();
      n.durationMs = e.durationMs();
      n.usage = e.usage() == null ? Usage.ZERO : e.usage();
      n.reason = e.reason();
      if (e.reason() != null) {
        n.lastLine = lastLineOf(e.reason());
      }
      return set(n, e.status());
    }
    return false;
  }

  private static boolean set(Node n, NodeStatus status) {
    boolean changed = n.status != status;
    n.status = status;
    return changed;
  }

  private Node node(String id) {
    return nodes.computeIfAbsent(id, Node::new);
  }

  private static String lastLineOf(String text) {
    String t = text.strip();
    int nl = t.lastIndexOf('\n');
    return (nl < 0 ? t : t.substring(nl + 1)).replace('\t', ' ').strip();
  }

  /** The nodes, known ones first in the order given, then others as they appeared. */
  public List<Node> nodes() {
    return new ArrayList<>(nodes.values());
  }

  /** The node, or {@code null} when no event named it and it was not given. */
  public Node find(String id) {
    return nodes.get(id);
  }

  public RunStatus status() {
    return status;
  }

  /** When the run started, from its first {@code run_started}; may be {@code null}. */
  public Instant started() {
    return started;
  }

  /** When it finished, or {@code null} while running or when interrupted. */
  public Instant finished() {
    return finished;
  }

  public String reason() {
    return reason;
  }

  public Usage usage() {
    return usage;
  }

  /** How many nodes are in each status. */
  public Map<NodeStatus, Integer> counts() {
    Map<NodeStatus, Integer> counts = new LinkedHashMap<>();
    for (Node n : nodes.values()) {
      counts.merge(n.status, 1, Integer::sum);
    }
    return counts;
  }
}
