package dev.orchestra.cli.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.engine.Plan;
import dev.orchestra.workflow.Approval;
import dev.orchestra.workflow.Budget;
import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.InputSpec;
import dev.orchestra.workflow.Isolation;
import dev.orchestra.workflow.Limits;
import dev.orchestra.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Plan} as the {@code orchestra.plan/v1} document {@code orchestra plan --json} prints
 * (core's {@code dev/orchestra/plan/plan.schema.json}, docs/pipeline-plan.md). Stateless.
 */
public final class PlanJson {
  /** The format and version this writes. */
  public static final String FORMAT = "orchestra.plan/v1";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PlanJson() {}

  /**
   * The document, indented.
   *
   * @param runsDir the runs directory as every command of the run is to be given it
   * @param file the workflow file as given to {@code plan} (or recorded, for {@code --resume})
   */
  public static String of(Plan plan, String runsDir, String file) {
    ObjectNode doc = NODES.objectNode();
    doc.put("format", FORMAT);
    String run = plan.runId();
    doc.put("run", run);
    doc.put("runs_dir", runsDir);
    String records = run == null ? null : runsDir + "/" + run;
    doc.put("records", records);
    Workflow wf = plan.workflow();
    boolean branches = wf.workspace().isolation() == Isolation.BRANCH;
    Stashes stashes = records == null ? null : new Stashes(records);
    doc.set(
        "stash",
        stashes == null ? NODES.nullNode() : stash(Stashes.name(run), stashes.run(branches)));
    ObjectNode workflow = doc.putObject("workflow");
    workflow.put("name", wf.name());
    workflow.put("file", file);
    workflow.put("description", wf.description());
    ArrayNode inputs = workflow.putArray("inputs");
    for (Map.Entry<String, InputSpec> e : wf.inputs().entrySet()) {
      ObjectNode i = inputs.addObject();
      InputSpec spec = e.getValue();
      i.put("name", e.getKey());
      i.put("description", spec == null ? null : spec.description());
      i.put("required", spec != null && spec.required());
      i.put("default", spec == null ? null : spec.defaultValue());
    }
    ObjectNode values = doc.putObject("inputs");
    plan.inputs().forEach(values::put);
    doc.set("limits", limits(wf.limits()));
    ArrayNode nodes = doc.putArray("nodes");
    for (Plan.Node n : plan.nodes()) {
      nodes.add(node(n, run, stashes, branches));
    }
    try {
      return JSON.writeValueAsString(doc);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a plan is always JSON", e);
    }
  }

  private static ObjectNode limits(Limits limits) {
    ObjectNode l = NODES.objectNode();
    l.put("concurrency", limits.concurrency());
    ObjectNode agents = l.putObject("agents");
    limits.agents().forEach(agents::put);
    Budget b = limits.budget();
    if (b == null) {
      l.putNull("budget");
    } else {
      ObjectNode budget = l.putObject("budget");
      budget.put("usd", b.usd());
      budget.put("tokens", b.tokens());
    }
    putMillis(l, "timeout_ms", limits.timeout());
    return l;
  }

  private static ObjectNode node(Plan.Node n, String run, Stashes stashes, boolean branches) {
    ObjectNode o = NODES.objectNode();
    o.put("id", n.id());
    n.needs().forEach(o.putArray("needs")::add);
    n.upstream().forEach(o.putArray("upstream")::add);
    o.put("agent", n.agent());
    o.put("uses", n.uses());
    o.put("executor", n.executor().name().toLowerCase(Locale.ROOT));
    o.put("image", n.image());
    o.set("docker", n.docker() == null ? NODES.nullNode() : docker(n.docker()));
    ArrayNode credentials = o.putArray("credentials");
    for (Plan.Credential c : n.credentials()) {
      ObjectNode co = credentials.addObject();
      co.put("name", c.name());
      co.put("variable", c.variable());
      co.put("agent_variable", c.agentVariable());
    }
    o.put("attempts", n.attempts());
    putMillis(o, "timeout_ms", n.timeout());
    putMillis(o, "idle_timeout_ms", n.idleTimeout());
    putMillis(o, "stage_timeout_ms", n.stageTimeout());
    o.put("continue_on_failure", n.continueOnFailure());
    Approval a = n.approval();
    if (a == null) {
      o.putNull("approval");
    } else {
      ObjectNode ao = o.putObject("approval");
      ao.put("message", a.messageOrDefault());
      a.approvers().forEach(ao.putArray("approvers")::add);
    }
    o.set(
        "stash",
        stashes == null
            ? NODES.nullNode()
            : stash(Stashes.name(run, n.id()), stashes.node(n, branches)));
    o.put("status", n.succeeded() ? "succeeded" : "pending");
    return o;
  }

  /** The options as {@code docker run} tokens too, for a step that starts the container. */
  static ObjectNode docker(DockerOptions d) {
    ObjectNode o = NODES.objectNode();
    o.put("cpus", d.cpus());
    o.put("memory", d.memory());
    o.put("network", d.network());
    d.mounts().forEach(o.putArray("mounts")::add);
    ArrayNode args = o.putArray("args");
    for (String token : args(d)) {
      args.add(token);
    }
    return o;
  }

  /** E.g. {@code --cpus 2 --memory 4g --network none -v /a:/b:ro}. */
  static List<String> args(DockerOptions d) {
    List<String> args = new ArrayList<>();
    if (d.cpus() != null) {
      args.add("--cpus");
      args.add(BigDecimal.valueOf(d.cpus()).stripTrailingZeros().toPlainString());
    }
    if (d.memory() != null) {
      args.add("--memory");
      args.add(d.memory());
    }
    if (d.network() != null) {
      args.add("--network");
      args.add(d.network());
    }
    for (String mount : d.mounts()) {
      args.add("-v");
      args.add(mount);
    }
    return args;
  }

  private static ObjectNode stash(String name, String includes) {
    ObjectNode s = NODES.objectNode();
    s.put("name", name);
    s.put("includes", includes);
    return s;
  }

  private static void putMillis(ObjectNode o, String field, Duration d) {
    if (d == null) {
      o.putNull(field);
    } else {
      o.put(field, d.toMillis());
    }
  }
}
