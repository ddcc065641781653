package dev.orchestra.server.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.engine.RecordedPlans;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.server.http.Json;
import dev.orchestra.state.NodeState;
import dev.orchestra.state.RunState;
import dev.orchestra.state.RunStateJson;
import dev.orchestra.store.RunInfo;
import java.util.List;
import java.util.Set;

/**
 * A run's state as the API shows it ({@code GET /runs/{id}} and the rows of {@code GET /runs}):
 * core's projection ({@link RunState}, written by {@link RunStateJson} as {@code
 * run-state.schema.json} describes it) of the run's events over the nodes its records planned, with
 * one addition only a server knows: a run that is {@code running} by its events but that no process
 * runs is {@code interrupted}. Stateless and thread-safe.
 */
public final class RunSnapshots {
  private static final Set<NodeStatus> FAILED =
      Set.of(NodeStatus.FAILED, NodeStatus.ERROR, NodeStatus.TIMED_OUT, NodeStatus.BUDGET_EXCEEDED);
  private static final Set<NodeStatus> RUNNING =
      Set.of(NodeStatus.RUNNING, NodeStatus.CHECKING, NodeStatus.RETRYING, NodeStatus.RATE_LIMITED);

  private RunSnapshots() {}

  /** The run's state from its recorded plan ({@link RecordedPlans}) and events. */
  public static RunState state(RunInfo info, List<RecordedEvent> events) {
    return RunState.of(info.id(), RecordedPlans.of(info).nodes(), events);
  }

  /** The status word of a run in this state: {@code interrupted} when running but not active. */
  public static String status(RunState state, boolean active) {
    return state.status() == RunStatus.RUNNING && !active
        ? "interrupted"
        : state.status().wireName();
  }

  /** The snapshot of a run. */
  public static ObjectNode snapshot(RunInfo info, List<RecordedEvent> events, boolean active) {
    RunState state = state(info, events);
    try {
      ObjectNode s = (ObjectNode) Json.MAPPER.readTree(RunStateJson.encode(state));
      s.put("status", status(state, active));
      if (s.get("workflow").isNull()) {
        s.put("workflow", info.workflow());
      }
      if (s.get("started").isNull()) {
        s.put("started", info.started().toString());
      }
      return s;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("core's run state JSON did not parse: " + e, e);
    }
  }

  /** A row of {@code GET /runs}. */
  public static ObjectNode summary(RunInfo info, List<RecordedEvent> events, boolean active) {
    RunState state = state(info, events);
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("id", info.id());
    s.put("workflow", info.workflow());
    s.put("status", status(state, active));
    s.put("started", info.started().toString());
    s.put("finished", state.finished() == null ? null : state.finished().toString());
    if (state.finished() == null) {
      s.putNull("duration_ms");
    } else {
      s.put("duration_ms", state.finished().toEpochMilli() - info.started().toEpochMilli());
    }
    s.set("usage", Json.MAPPER.valueToTree(state.usage()));
    int succeeded = 0;
    int failed = 0;
    int running = 0;
    for (NodeState n : state.nodes()) {
      if (n.status() == NodeStatus.SUCCEEDED) {
        succeeded++;
      } else if (FAILED.contains(n.status())) {
        failed++;
      } else if (RUNNING.contains(n.status())) {
        running++;
      }
    }
    ObjectNode counts = s.putObject("nodes");
    counts.put("total", state.nodes().size());
    counts.put("succeeded", succeeded);
    counts.put("failed", failed);
    counts.put("running", running);
    return s;
  }
}
