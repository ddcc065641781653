package dev.orchestra.server.api;

import dev.orchestra.engine.DecisionOutcome;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.git.GitWorkspaces;
import dev.orchestra.server.auth.Access;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.http.ApiException;
import dev.orchestra.server.http.Json;
import dev.orchestra.server.runs.RunSupervisor;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.Decision;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunStore;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.WorkflowParser;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /api/v1/runs/{id}/nodes/{node}/…}: a node's attempts with their check results, the text
 * records of an attempt (prompt, transcript, stdout, stderr), the diff of its branch, and the
 * decisions on its approval gate. Node ids of composed workflows ({@code outer/inner}) are sent
 * with the slash encoded ({@code outer%2Finner}).
 */
public final class NodeRoutes {
  /** The agents whose stdout is their CLI's event stream (their transcript). */
  private static final java.util.Set<String> AI_AGENTS =
      java.util.Set.of("claude", "codex", "gemini");

  private static final WorkflowParser PARSER = WorkflowParser.create();

  private final RunStore store;
  private final RunSupervisor runs;
  private final Function<String, Path> runDirectories;

  public NodeRoutes(RunStore store, RunSupervisor runs, Function<String, Path> runDirectories) {
    this.store = store;
    this.runs = runs;
    this.runDirectories = runDirectories;
  }

  public void register(RoutesConfig routes) {
    String node = Api.V1 + "/runs/{id}/nodes/{node}";
    routes.get(node + "/attempts", this::attempts, Scope.READ);
    routes.get(node + "/attempts/{attempt}/{kind}", this::text, Scope.READ);
    routes.get(node + "/diff", this::diff, Scope.READ);
    routes.post(node + "/approve", ctx -> decide(ctx, true), Scope.RUN);
    routes.post(node + "/reject", ctx -> decide(ctx, false), Scope.RUN);
  }

  private void attempts(Context ctx) {
    RunInfo info = RunRoutes.info(store, ctx.pathParam("id"));
    String node = ctx.pathParam("node");
    List<RecordedEvent> events = store.events(info.id());
    List<AttemptRecord> records = store.attempts(info.id(), node);
    if (records.isEmpty() && events.stream().noneMatch(e -> node.equals(e.event().node()))) {
      requireNode(info, node);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (AttemptRecord r : records) {
      Map<String, Object> a = new LinkedHashMap<>();
      Times t = times(events, node, r.attempt());
      a.put("attempt", r.attempt());
      a.put("started", t.started);
      a.put("finished", t.finished);
      a.put("status", t.status);
      a.put("checks", r.checks());
      a.put("output", r.output());
      a.put("outputs", r.outputs());
      a.put("usage", r.usage());
      out.add(a);
    }
    Json.send(ctx, 200, Json.of("attempts", out));
  }

  /** When an attempt started and ended, and how, from the events. */
  private static final class Times {
    Instant started;
    Instant finished;
    String status = "running";
  }

  private static Times times(List<RecordedEvent> events, String node, int attempt) {
    Times t = new Times();
    boolean in = false;
    for (RecordedEvent r : events) {
      Event e = r.event();
      if (!node.equals(e.node())) {
        continue;
      }
      if (e instanceof Event.NodeStarted s) {
        in = s.attempt() == attempt;
        if (in) {
          t.started = r.time();
          t.finished = null;
          t.status = "running";
        }
      } else if (!in) {
        continue;
      } else if (e instanceof Event.NodeChecking) {
        t.status = "checking";
      } else if (e instanceof Event.NodeRetrying) {
        t.finished = r.time();
        t.status = "failed";
        in = false;
      } else if (e instanceof Event.NodeRateLimited) {
        t.finished = r.time();
        t.status = "rate_limited";
        in = false;
      } else if (e instanceof Event.NodeFinished f) {
        t.finished = r.time();
        t.status = f.status().wireName();
        in = false;
      } else if (e instanceof Event.RunFinished) {
        in = false;
      }
    }
    return t;
  }

  private void text(Context ctx) {
    RunInfo info = RunRoutes.info(store, ctx.pathParam("id"));
    String node = ctx.pathParam("node");
    String kind = ctx.pathParam("kind");
    int n;
    try {
      n = Integer.parseInt(ctx.pathParam("attempt"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "the attempt must be a number from 1, was '" + ctx.pathParam("attempt") + "'");
    }
    AttemptRecord record =
        store.attempts(info.id(), node).stream()
            .filter(r -> r.attempt() == n)
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "node '"
                            + node
                            + "' of run "
                            + info.id()
                            + " has no attempt "
                            + n
                            + "; GET .../attempts lists them"));
    String text =
        switch (kind) {
          case "prompt" -> record.prompt();
          case "stdout" -> record.stdout();
          case "stderr" -> record.stderr();
          case "transcript" -> transcript(info, node, record);
          default ->
              throw ApiException.notFound(
                  "an attempt has prompt, transcript, stdout and stderr; not '" + kind + "'");
        };
    if (text == null) {
      throw ApiException.notFound(
          "attempt " + n + " of node '" + node + "' has no " + kind + " (it was not written)");
    }
    ctx.status(200).contentType("text/plain; charset=utf-8").result(text);
  }

  private static String transcript(RunInfo info, String node, AttemptRecord record) {
    String agent = agentOf(info, node);
    if (agent == null || !AI_AGENTS.contains(agent)) {
      throw ApiException.notFound(
          "node '"
              + node
              + "' runs "
              + (agent == null ? "no AI agent" : "the " + agent + " agent")
              + ", which keeps no transcript; read its stdout");
    }
    // An AI agent's stdout is its CLI's event stream: the transcript of the session.
    return record.stdout();
  }

  private static String agentOf(RunInfo info, String node) {
    Workflow parsed = workflowOf(info);
    if (parsed == null) {
      return null;
    }
    NodeSpec spec = parsed.nodes().get(node);
    if (spec == null) {
      return null;
    }
    return spec.agent() != null ? spec.agent() : parsed.defaults().agent();
  }

  private void diff(Context ctx) {
    RunInfo info = RunRoutes.info(store, ctx.pathParam("id"));
    String node = ctx.pathParam("node");
    Path file = GitWorkspaces.diffFile(runDirectories.apply(info.id()), node);
    try {
      ctx.status(200)
          .contentType("text/x-diff; charset=utf-8")
          .result(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw ApiException.notFound(
          "node '"
              + node
              + "' of run "
              + info.id()
              + " has no diff: diffs are kept for nodes that ended in a run with isolation: branch");
    } catch (IOException e) {
      throw new dev.orchestra.OrchestraException("cannot read " + file + ": " + e, e);
    }
  }

  private void decide(Context ctx, boolean approve) {
    RunInfo info = RunRoutes.info(store, ctx.pathParam("id"));
    String node = ctx.pathParam("node");
    String comment = null;
    if (ctx.bodyAsBytes().length > 0) {
      comment = Json.text(Json.object(ctx), "comment");
    }
    String by = Access.principal(ctx).name();
    DecisionOutcome outcome = runs.decide(info.id(), node, approve, by, comment);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", info.id());
    body.put("node", node);
    if (outcome instanceof DecisionOutcome.Recorded r) {
      body.put("decision", decision(r.decision()));
      body.put("status", r.status().wireName());
      body.put("changed", true);
    } else if (outcome instanceof DecisionOutcome.Unchanged u) {
      body.put("decision", decision(u.decision()));
      body.put("changed", false);
    } else if (outcome instanceof DecisionOutcome.Refused refused) {
      throw ApiException.conflict(refused.reason());
    }
    Json.send(ctx, 200, body);
  }

  private static Map<String, Object> decision(Decision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("approved", d.approved());
    m.put("by", d.by());
    m.put("comment", d.comment());
    m.put("time", d.time());
    return m;
  }

  /** The run's recorded workflow, or {@code null} when it does not parse. */
  private static Workflow workflowOf(RunInfo info) {
    return PARSER
        .parse(
            Path.of(info.workflowFile() == null ? "workflow.yaml" : info.workflowFile()),
            info.workflowText())
        .workflow();
  }

  private static void requireNode(RunInfo info, String node) {
    Workflow parsed = workflowOf(info);
    boolean known = parsed != null && (parsed.nodes().containsKey(node) || node.contains("/"));
    if (!known) {
      throw ApiException.notFound(
          "run "
              + info.id()
              + " has no node '"
              + node
              + "'; GET /api/v1/runs/"
              + info.id()
              + " lists its nodes");
    }
  }
}
