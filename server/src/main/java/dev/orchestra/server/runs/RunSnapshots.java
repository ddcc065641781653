package dev.orchestra.server.runs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.server.http.Json;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's state as the API shows it ({@code GET /runs/{id}} and the rows of {@code GET /runs}): its
 * events folded over the nodes of its recorded workflow, every node listed (also those not started
 * yet), in topological order, inner nodes of composed workflows ({@code outer/inner}) after them as
 * their events name them. The one place that maps events to the snapshot, to be replaced by core's
 * run-state projection when it lands. Stateless and thread-safe.
 */
public final class RunSnapshots {
  private static final WorkflowParser PARSER = WorkflowParser.create();

  private RunSnapshots() {}

  /** What a listing or a snapshot says of a run's status: {@code interrupted} when none runs it. */
  public static String status(Optional<RunResult> result, boolean active) {
    if (result.isPresent()) {
      return result.get().status().wireName();
    }
    return active ? "running" : "interrupted";
  }

  /** As {@link #status(Optional, boolean)}, taking a {@code run_finished} not yet in a result. */
  private static String status(Optional<RunResult> result, boolean active, Fold fold) {
    if (fold.status != null) {
      return fold.status.wireName(); // the last session ended; its result may not be written yet
    }
    if (fold.sessionOpen) {
      return active ? "running" : "interrupted"; // a result on file is an earlier session's
    }
    return status(result, active);
  }

  /** The snapshot of a run. */
  public static ObjectNode snapshot(
      RunInfo info, List<RecordedEvent> events, Optional<RunResult> result, boolean active) {
    Fold fold = Fold.of(info, events);
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("id", info.id());
    s.put("workflow", info.workflow());
    s.put("status", status(result, active, fold));
    s.put("started", info.started().toString());
    s.put("finished", fold.finished == null ? null : fold.finished.toString());
    s.put("reason", fold.status != null || result.isEmpty() ? fold.reason : result.get().reason());
    s.set("inputs", Json.MAPPER.valueToTree(info.inputs()));
    s.set("usage", usage(fold.total()));
    s.put("last_seq", events.isEmpty() ? 0 : events.get(events.size() - 1).seq());
    ArrayNode nodes = s.putArray("nodes");
    for (NodeState n : fold.nodes.values()) {
      nodes.add(n.json());
    }
    return s;
  }

  /** A row of {@code GET /runs}. */
  public static ObjectNode summary(
      RunInfo info, List<RecordedEvent> events, Optional<RunResult> result, boolean active) {
    Fold fold = Fold.of(info, events);
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("id", info.id());
    s.put("workflow", info.workflow());
    s.put("status", status(result, active, fold));
    s.put("started", info.started().toString());
    Instant finished = fold.status != null ? fold.finished : null;
    if (finished == null && !fold.sessionOpen) {
      finished = result.map(RunResult::finished).orElse(null);
    }
    s.put("finished", finished == null ? null : finished.toString());
    if (finished == null) {
      s.putNull("duration_ms");
    } else {
      s.put("duration_ms", finished.toEpochMilli() - info.started().toEpochMilli());
    }
    s.set("usage", usage(fold.total()));
    ObjectNode counts = s.putObject("nodes");
    int succeeded = 0;
    int failed = 0;
    int running = 0;
    for (NodeState n : fold.nodes.values()) {
      if (n.status == NodeStatus.SUCCEEDED) {
        succeeded++;
      } else if (failedStatus(n.status)) {
        failed++;
      } else if (n.status == NodeStatus.RUNNING
          || n.status == NodeStatus.CHECKING
          || n.status == NodeStatus.RETRYING
          || n.status == NodeStatus.RATE_LIMITED) {
        running++;
      }
    }
    counts.put("total", fold.nodes.size());
    counts.put("succeeded", succeeded);
    counts.put("failed", failed);
    counts.put("running", running);
    return s;
  }

  private static boolean failedStatus(NodeStatus s) {
    return s == NodeStatus.FAILED
        || s == NodeStatus.ERROR
        || s == NodeStatus.TIMED_OUT
        || s == NodeStatus.BUDGET_EXCEEDED;
  }

  static ObjectNode usage(Usage u) {
    return u == null ? null : Json.MAPPER.valueToTree(u);
  }

  /** The events folded over the planned nodes. */
  private static final class Fold {
    final Map<String, NodeState> nodes = new LinkedHashMap<>();
    Instant finished;
    RunStatus status;
    boolean sessionOpen;
    String reason;
    Usage usage;

    static Fold of(RunInfo info, List<RecordedEvent> events) {
      Fold f = new Fold();
      for (NodeSpec spec : planned(info)) {
        f.nodes.put(spec.id(), new NodeState(spec.id(), spec.needs(), agent(spec), spec));
      }
      for (RecordedEvent e : events) {
        f.apply(e);
      }
      return f;
    }

    Usage total() {
      if (usage != null) {
        return usage;
      }
      Usage sum = Usage.ZERO;
      for (NodeState n : nodes.values()) {
        if (n.usage != null) {
          sum = sum.plus(n.usage);
        }
      }
      return sum;
    }

    void apply(RecordedEvent recorded) {
      Event event = recorded.event();
      if (event instanceof Event.RunStarted started) {
        finished = null;
        status = null;
        sessionOpen = true;
        reason = null;
        usage = null;
        if (started.resumed()) {
          for (NodeState n : nodes.values()) {
            if (n.status != NodeStatus.SUCCEEDED) {
              n.status = NodeStatus.PENDING;
              n.reason = null;
            }
          }
        }
        return;
      }
      if (event instanceof Event.RunFinished end) {
        finished = recorded.time();
        status = end.status();
        sessionOpen = false;
        reason = end.reason();
        usage = end.usage();
        return;
      }
      if (event.node() == null) {
        return;
      }
      NodeState n =
          nodes.computeIfAbsent(event.node(), id -> new NodeState(id, List.of(), null, null));
      n.apply(recorded);
    }
  }

  /** The top-level nodes in topological order, ties in the order the file declares them. */
  static List<NodeSpec> planned(RunInfo info) {
    Path file = Path.of(info.workflowFile() != null ? info.workflowFile() : "workflow.yaml");
    Workflow w = PARSER.parse(file, info.workflowText()).workflow();
    if (w == null) {
      return List.of();
    }
    List<NodeSpec> order = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    List<NodeSpec> left = new ArrayList<>(w.nodes().values());
    while (!left.isEmpty()) {
      boolean progress = false;
      for (var it = left.iterator(); it.hasNext(); ) {
        NodeSpec n = it.next();
        if (placed.containsAll(n.needs().stream().filter(w.nodes()::containsKey).toList())) {
          order.add(n);
          placed.add(n.id());
          it.remove();
          progress = true;
        }
      }
      if (!progress) {
        order.addAll(left); // a cycle the validator would have refused: keep the file's order
        break;
      }
    }
    return order;
  }

  private static String agent(NodeSpec spec) {
    if (spec.uses() != null) {
      return "uses";
    }
    return spec.agent();
  }

  /** One node's state so far. */
  private static final class NodeState {
    final String id;
    final List<String> needs;
    final String agent;
    NodeStatus status = NodeStatus.PENDING;
    int attempt;
    int attempts;
    Instant started;
    Long durationMs;
    Usage usage;
    String reason;
    String approvalMessage;
    List<String> approvers;
    ObjectNode decision;

    NodeState(String id, List<String> needs, String agent, NodeSpec spec) {
      this.id = id;
      this.needs = needs;
      this.agent = agent;
      if (spec != null && spec.approval() != null) {
        approvalMessage = spec.approval().message();
        approvers = spec.approval().approvers();
      }
    }

    void apply(RecordedEvent recorded) {
      Event e = recorded.event();
      if (e instanceof Event.NodeStarted s) {
        status = NodeStatus.RUNNING;
        attempt = s.attempt();
        attempts = Math.max(attempts, s.attempt());
        if (started == null) {
          started = recorded.time();
        }
        durationMs = null;
        reason = null;
      } else if (e instanceof Event.NodeChecking) {
        status = NodeStatus.CHECKING;
      } else if (e instanceof Event.NodeRetrying r) {
        status = NodeStatus.RETRYING;
        reason = r.reason();
      } else if (e instanceof Event.NodeRateLimited r) {
        status = NodeStatus.RATE_LIMITED;
        reason = r.reason();
      } else if (e instanceof Event.NodeWaitingApproval w) {
        status = NodeStatus.WAITING_APPROVAL;
        approvalMessage = w.message();
        approvers = w.approvers();
      } else if (e instanceof Event.NodeApproved a) {
        status = NodeStatus.PENDING;
        decision = decision(true, a.by(), a.comment(), a.decidedAt());
      } else if (e instanceof Event.NodeRejected r) {
        decision = decision(false, r.by(), r.comment(), r.decidedAt());
      } else if (e instanceof Event.NodeFinished f) {
        status = f.status();
        attempts = f.attempts();
        attempt = Math.max(attempt, f.attempts());
        durationMs = f.durationMs();
        usage = f.usage();
        reason = f.reason();
      }
      // Output and check results do not change the node's state.
    }

    private static ObjectNode decision(boolean approved, String by, String comment, Instant at) {
      ObjectNode d = Json.MAPPER.createObjectNode();
      d.put("approved", approved);
      d.put("by", by);
      d.put("comment", comment);
      d.put("decided_at", at == null ? null : at.toString());
      return d;
    }

    ObjectNode json() {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("id", id);
      n.set("needs", Json.MAPPER.valueToTree(needs));
      n.put("agent", agent);
      n.put("status", status.wireName());
      n.put("attempt", attempt);
      n.put("attempts", attempts);
      n.put("started", started == null ? null : started.toString());
      if (durationMs == null) {
        n.putNull("duration_ms");
      } else {
        n.put("duration_ms", durationMs);
      }
      n.set("usage", usage(usage));
      n.put("reason", reason);
      if (approvalMessage == null && approvers == null && decision == null) {
        n.putNull("approval");
      } else {
        ObjectNode a = n.putObject("approval");
        a.put("message", approvalMessage);
        a.set("approvers", Json.MAPPER.valueToTree(approvers == null ? List.of() : approvers));
        a.set("decision", decision);
      }
      return n;
    }
  }
}
