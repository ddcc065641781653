package dev.orchestra.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.http.ApiException;
import dev.orchestra.server.http.Json;
import dev.orchestra.server.runs.RunSnapshots;
import dev.orchestra.server.runs.RunSupervisor;
import dev.orchestra.server.workflows.WorkflowLibrary;
import dev.orchestra.store.RunCursor;
import dev.orchestra.store.RunIds;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunPage;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import dev.orchestra.workflow.Problem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/runs}: submit (a stored workflow by name or a YAML text, with inputs), list with
 * filters and paging, the state snapshot, cancel, resume, retry the failed nodes, delete.
 */
public final class RunRoutes {
  private final RunStore store;
  private final RunSupervisor runs;
  private final WorkflowLibrary library;

  public RunRoutes(RunStore store, RunSupervisor runs, WorkflowLibrary library) {
    this.store = store;
    this.runs = runs;
    this.library = library;
  }

  public void register(RoutesConfig routes) {
    routes.post(Api.V1 + "/runs", this::submit, Scope.RUN);
    routes.get(Api.V1 + "/runs", this::list, Scope.READ);
    routes.get(Api.V1 + "/runs/{id}", this::snapshot, Scope.READ);
    routes.delete(Api.V1 + "/runs/{id}", this::delete, Scope.ADMIN);
    routes.post(Api.V1 + "/runs/{id}/cancel", this::cancel, Scope.RUN);
    routes.post(Api.V1 + "/runs/{id}/resume", this::resume, Scope.RUN);
    routes.post(Api.V1 + "/runs/{id}/retry", this::retry, Scope.RUN);
  }

  private void submit(Context ctx) {
    ObjectNode body = Json.object(ctx);
    String name = Json.text(body, "workflow");
    String yaml = Json.text(body, "yaml");
    if ((name == null) == (yaml == null)) {
      throw ApiException.badRequest(
          "the body needs either \"workflow\" (the name of a stored workflow) or \"yaml\" (a"
              + " workflow's text), not "
              + (name == null ? "neither" : "both"));
    }
    Map<String, String> inputs = inputs(body.get("inputs"));
    WorkflowLibrary.Checked checked;
    if (name != null) {
      if (!WorkflowLibrary.isValidName(name)) {
        throw WorkflowRoutes.unknown(name);
      }
      String text = library.text(name).orElseThrow(() -> WorkflowRoutes.unknown(name));
      checked = library.check(name, text, inputs);
    } else {
      checked = library.check(null, yaml, inputs);
    }
    if (!checked.ok()) {
      throw ApiException.invalid(
          (name == null ? "the workflow" : "workflow '" + name + "'")
              + " cannot run: "
              + Api.count(checked.problems().size(), "problem")
              + "; nothing was started",
          checked.problems());
    }
    List<Problem> missing =
        library.shown(checked, runs.preflight(checked.workflow(), inputs).problems());
    if (!missing.isEmpty()) {
      throw ApiException.invalid(
          (name == null ? "the workflow" : "workflow '" + name + "'")
              + " cannot start on this server: "
              + Api.count(missing.size(), "problem")
              + " to fix first; nothing was started",
          missing);
    }
    String id = runs.submit(checked.workflow(), checked.text(), inputs);
    ctx.header("Location", Api.V1 + "/runs/" + id);
    Json.send(ctx, 202, answer(id, "running"));
  }

  private static Map<String, String> inputs(JsonNode node) {
    Map<String, String> inputs = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return inputs;
    }
    if (!node.isObject()) {
      throw ApiException.badRequest(
          "\"inputs\" must be an object of input names to values, e.g. {\"task\": \"...\"}");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (!v.isValueNode() || v.isNull()) {
        throw ApiException.badRequest(
            "input \"" + e.getKey() + "\" must be a string, number or boolean");
      }
      inputs.put(e.getKey(), v.asText());
    }
    return inputs;
  }

  private void list(Context ctx) {
    List<RunQuery.Status> statuses = new ArrayList<>();
    String status = ctx.queryParam("status");
    if (status != null && !status.isBlank()) {
      for (String s : status.split(",")) {
        try {
          statuses.add(RunQuery.Status.fromWire(s.strip()));
        } catch (OrchestraException e) {
          throw ApiException.badRequest(e.getMessage());
        }
      }
    }
    int limit = 50;
    String limitText = ctx.queryParam("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > RunQuery.MAX_LIMIT) {
        throw ApiException.badRequest(
            "limit must be from 1 to " + RunQuery.MAX_LIMIT + ", was '" + limitText + "'");
      }
    }
    Instant since = instant(ctx, "since");
    Instant until = instant(ctx, "until");
    if (since != null && until != null && !since.isBefore(until)) {
      throw ApiException.badRequest("since must be before until, was " + since + " to " + until);
    }
    RunQuery query =
        RunQuery.first(limit)
            .withStatuses(statuses)
            .withWorkflow(ctx.queryParam("workflow"))
            .startedBetween(since, until);
    try {
      query = query.after(ctx.queryParam("cursor"));
    } catch (OrchestraException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    RunPage page = store.list(query);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode rows = body.putArray("runs");
    for (RunSummary r : page.runs()) {
      Optional<RunInfo> info = store.find(r.id());
      if (info.isEmpty()) {
        continue; // deleted meanwhile
      }
      rows.add(
          RunSnapshots.summary(
              info.get(), store.events(r.id()), r.active() || runs.isActive(r.id())));
    }
    body.put("next_cursor", page.next().map(RunCursor::token).orElse(null));
    Json.send(ctx, 200, body);
  }

  private static Instant instant(Context ctx, String param) {
    String v = ctx.queryParam(param);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(v.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          param + " must be an ISO-8601 instant such as 2026-12-01T10:00:00Z, was '" + v + "'");
    }
  }

  private void snapshot(Context ctx) {
    RunInfo info = info(store, ctx.pathParam("id"));
    List<RecordedEvent> events = store.events(info.id());
    Json.send(ctx, 200, RunSnapshots.snapshot(info, events, active(info.id(), events)));
  }

  private boolean active(String id, List<RecordedEvent> events) {
    if (runs.isActive(id)) {
      return true;
    }
    boolean ended =
        !events.isEmpty() && events.get(events.size() - 1).event() instanceof Event.RunFinished;
    // Not ended and not here: running in another process, or interrupted. Ask the store.
    return !ended && runs.summary(id).map(RunSummary::active).orElse(false);
  }

  private void cancel(Context ctx) {
    RunInfo info = info(store, ctx.pathParam("id"));
    runs.cancel(info.id());
    Json.send(ctx, 202, answer(info.id(), "cancelling"));
  }

  private void resume(Context ctx) {
    RunInfo info = info(store, ctx.pathParam("id"));
    Optional<RunStatus> ended = ended(info.id());
    if (ended.isPresent() && ended.get() != RunStatus.CANCELLED) {
      throw ApiException.conflict(
          "run "
              + info.id()
              + " "
              + ended.get().wireName()
              + "; resume continues an interrupted or cancelled run"
              + (ended.get() == RunStatus.FAILED
                  ? " (POST /api/v1/runs/" + info.id() + "/retry runs its failed nodes again)"
                  : ""));
    }
    preflight(info, "resumed");
    runs.resume(info.id());
    Json.send(ctx, 202, answer(info.id(), "running"));
  }

  /**
   * Answers 422 with the problems when run {@code info} cannot continue on this server (a
   * credential removed since it started, an agent CLI or Docker image gone): its recorded workflow
   * and inputs checked as {@link #submit} checks a new run's, before anything is started.
   */
  private void preflight(RunInfo info, String what) {
    if (info.workflowText() == null) {
      return; // the engine's resume names what is missing from the records
    }
    WorkflowLibrary.Checked checked = library.check(null, info.workflowText(), info.inputs());
    List<Problem> problems =
        checked.ok()
            ? library.shown(checked, runs.preflight(checked.workflow(), info.inputs()).problems())
            : checked.problems();
    if (!problems.isEmpty()) {
      throw ApiException.invalid(
          "run "
              + info.id()
              + " cannot be "
              + what
              + " on this server: "
              + Api.count(problems.size(), "problem")
              + " to fix first; nothing was started",
          problems);
    }
  }

  private void retry(Context ctx) {
    RunInfo info = info(store, ctx.pathParam("id"));
    Optional<RunStatus> ended = ended(info.id());
    if (ended.isEmpty() || ended.get() != RunStatus.FAILED) {
      boolean here = runs.isActive(info.id());
      throw ApiException.conflict(
          "run "
              + info.id()
              + " is "
              + ended.map(RunStatus::wireName).orElse(here ? "running" : "interrupted")
              + "; retry runs the failed nodes of a failed run again"
              + (ended.isEmpty() && !here
                  ? " (POST /api/v1/runs/" + info.id() + "/resume continues this one)"
                  : ""));
    }
    preflight(info, "retried");
    runs.resume(info.id());
    Json.send(ctx, 202, answer(info.id(), "running"));
  }

  private void delete(Context ctx) {
    RunInfo info = info(store, ctx.pathParam("id"));
    if (runs.settle(info.id())) {
      throw ApiException.conflict(
          "run " + info.id() + " is running; cancel it and wait for it to end, then delete it");
    }
    try {
      store.delete(info.id());
    } catch (dev.orchestra.OrchestraException e) {
      throw ApiException.conflict(e.getMessage());
    }
    ctx.status(204);
  }

  /**
   * How the run's last session ended: its result, or its last event when that is {@code
   * run_finished} (the result is written just after the event is streamed).
   */
  private Optional<RunStatus> ended(String id) {
    List<RecordedEvent> events = store.events(id);
    if (!events.isEmpty() && events.get(events.size() - 1).event() instanceof Event.RunFinished f) {
      return Optional.of(f.status());
    }
    if (runs.isActive(id)) {
      return Optional.empty();
    }
    // A result written by an older version without its run_finished, or none (interrupted).
    return store.result(id).map(RunResult::status);
  }

  static Map<String, Object> answer(String id, String status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("status", status);
    return body;
  }

  /** The run {@code id}, or 404. */
  static RunInfo info(RunStore store, String id) {
    if (!RunIds.isValid(id)) {
      throw ApiException.notFound(
          "'" + id + "' is not a run id; run ids look like 20261123-221530-3fa2");
    }
    return store
        .find(id)
        .orElseThrow(
            () -> ApiException.notFound("no run '" + id + "'; GET /api/v1/runs lists the runs"));
  }
}
