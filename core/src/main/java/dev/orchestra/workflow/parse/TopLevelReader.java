package dev.orchestra.workflow.parse;

import dev.orchestra.workflow.Budget;
import dev.orchestra.workflow.InputSpec;
import dev.orchestra.workflow.Isolation;
import dev.orchestra.workflow.Limits;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.Triggers;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.WorkflowOutput;
import dev.orchestra.workflow.WorkspaceSpec;
import dev.orchestra.workflow.parse.Tree.Entry;
import dev.orchestra.workflow.parse.Tree.Mapping;
import dev.orchestra.workflow.parse.Tree.Scalar;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the top level of a workflow file (its root mapping) into a {@link Workflow}: the top-level
 * keys, inputs, limits, workspace and declared outputs; nodes and defaults go to {@link
 * NodeReader}. Not thread-safe: one instance per parse.
 *
 * <p>Not to be confused with the engine's {@code WorkflowReader}, which turns whole files into
 * checked workflows; this class only walks an already parsed tree.
 */
final class TopLevelReader {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  private final ValueReader in;
  private final NodeReader nodes;

  TopLevelReader(ValueReader in) {
    this.in = in;
    this.nodes = new NodeReader(in);
  }

  Workflow read(Mapping root, SourceMap sourceMap) {
    int version = 1;
    String name = null;
    String description = null;
    Map<String, InputSpec> inputs = null;
    NodeSpec defaults = null;
    Limits limits = null;
    WorkspaceSpec workspace = null;
    Map<String, NodeSpec> nodeSpecs = null;
    Map<String, WorkflowOutput> outputs = null;
    Triggers on = null;
    for (Entry e : in.entries(root, Keys.WORKFLOW, "the workflow")) {
      Tree v = e.value();
      switch (e.key()) {
        case "version" -> version = version(v);
        case "name" -> name = name(v);
        case "description" -> description = in.string(v, "'description'");
        case "inputs" -> inputs = inputs(v);
        case "defaults" -> {
          Mapping m = in.mapping(v, "'defaults'", "a mapping of node keys");
          defaults = m == null ? null : nodes.node(null, m);
        }
        case "limits" -> limits = limits(v);
        case "workspace" -> workspace = workspace(v);
        case "nodes" -> nodeSpecs = nodes(v);
        case "on" -> on = on(v);
        default -> outputs = outputs(v);
      }
    }
    if (!root.entries().containsKey("version")) {
      in.report(root.position(), "missing 'version'; add 'version: 1' at the top of the file");
    }
    if (!root.entries().containsKey("nodes")) {
      in.report(root.position(), "missing 'nodes'; a workflow needs at least one node");
    }
    return new Workflow(
        version,
        name,
        description,
        inputs,
        defaults,
        limits,
        workspace,
        nodeSpecs,
        outputs,
        on,
        sourceMap);
  }

  private Triggers on(Tree v) {
    Mapping m = in.mapping(v, "'on'", "a mapping {pull_request, comment}");
    if (m == null) {
      return null;
    }
    Triggers.PullRequest pr = null;
    Triggers.Comment comment = null;
    for (Entry e : in.entries(m, Keys.ON, "'on'")) {
      if (e.key().equals("pull_request")) {
        pr = pullRequest(e.value());
      } else {
        comment = comment(e.value());
      }
    }
    return new Triggers(pr, comment);
  }

  private Triggers.PullRequest pullRequest(Tree v) {
    if (v instanceof Scalar s && (s.type() == Tree.ScalarType.NULL || s.text().isEmpty())) {
      return new Triggers.PullRequest(null, null);
    }
    Mapping m = in.mapping(v, "'on.pull_request'", "a mapping {branches, paths}");
    if (m == null) {
      return null;
    }
    java.util.List<String> branches = null;
    java.util.List<String> paths = null;
    for (Entry e : in.entries(m, Keys.ON_PULL_REQUEST, "'on.pull_request'")) {
      java.util.List<String> globs = in.strings(e.value(), "'" + e.key() + "'", true);
      if (e.key().equals("branches")) {
        branches = globs;
      } else {
        paths = globs;
      }
    }
    return new Triggers.PullRequest(branches, paths);
  }

  private Triggers.Comment comment(Tree v) {
    Mapping m = in.mapping(v, "'on.comment'", "a mapping {command: NAME}");
    if (m == null) {
      return null;
    }
    String command = null;
    for (Entry e : in.entries(m, Keys.ON_COMMENT, "'on.comment'")) {
      command = in.text(e.value(), "'command'");
      if (command != null && !NAME.matcher(command).matches()) {
        in.report(
            e.value().position(),
            "'command' must match "
                + NAME.pattern()
                + ", was \""
                + command
                + "\"; it is the NAME of /orchestra run NAME, e.g. '"
                + slug(command, true)
                + "'");
        command = null;
      }
    }
    if (command == null && !m.entries().containsKey("command")) {
      in.report(m.position(), "'on.comment' needs 'command', e.g. command: review");
    }
    return new Triggers.Comment(command);
  }

  private int version(Tree v) {
    if (v instanceof Scalar s && s.type() == Tree.ScalarType.INTEGER && s.text().equals("1")) {
      return 1;
    }
    in.report(v.position(), "'version' must be 1, was " + v.describe());
    return 1;
  }

  private String name(Tree v) {
    String s = in.text(v, "'name'");
    if (s != null && !NAME.matcher(s).matches()) {
      in.report(
          v.position(),
          "'name' must match "
              + NAME.pattern()
              + " (lower-case letters, digits, '_' and '-'), was \""
              + s
              + "\"; for example '"
              + slug(s, true)
              + "'");
      return null;
    }
    return s;
  }

  /** A name or id made legal, for the example in a message. */
  static String slug(String s, boolean lowerCase) {
    String t = lowerCase ? s.toLowerCase(Locale.ROOT) : s;
    t = t.strip().replaceAll(lowerCase ? "[^a-z0-9_-]+" : "[^A-Za-z0-9_-]+", "-");
    t = t.replaceAll("^[-_]+", "");
    return t.isEmpty() ? "node-1" : t;
  }

  private Map<String, InputSpec> inputs(Tree v) {
    Mapping m =
        in.mapping(v, "'inputs'", "a mapping of input names to {description, required, default}");
    if (m == null) {
      return null;
    }
    in.duplicates(m, "input", "");
    Map<String, InputSpec> out = new LinkedHashMap<>();
    for (Entry e : m.entries().values()) {
      String where = "input '" + e.key() + "'";
      if (e.value() instanceof Scalar s
          && (s.type() == Tree.ScalarType.NULL || s.text().isEmpty())) {
        out.put(e.key(), new InputSpec(null, false, null));
        continue;
      }
      Mapping spec = in.mapping(e.value(), where, "a mapping {description, required, default}");
      if (spec == null) {
        continue;
      }
      String description = null;
      boolean required = false;
      String defaultValue = null;
      for (Entry f : in.entries(spec, Keys.INPUT, where)) {
        switch (f.key()) {
          case "description" -> description = in.string(f.value(), "'description'");
          case "required" -> required = Boolean.TRUE.equals(in.bool(f.value(), "'required'"));
          default -> defaultValue = in.scalarText(f.value(), "'default'");
        }
      }
      if (required && defaultValue != null) {
        in.report(
            spec.entries().get("default").keyPosition(),
            where + " is required and has a default; drop 'required' or the default");
      }
      out.put(e.key(), new InputSpec(description, required, defaultValue));
    }
    return out;
  }

  private Limits limits(Tree v) {
    Mapping m = in.mapping(v, "'limits'", "a mapping {concurrency, agents, budget, timeout}");
    if (m == null) {
      return null;
    }
    Integer concurrency = null;
    Map<String, Integer> agents = null;
    Budget budget = null;
    Duration timeout = null;
    for (Entry e : in.entries(m, Keys.LIMITS, "limits")) {
      Tree value = e.value();
      switch (e.key()) {
        case "concurrency" -> concurrency = in.positiveInt(value, "'concurrency'");
        case "agents" -> agents = agentCaps(value);
        case "budget" -> budget = nodes.budget(value, "budget of limits");
        default -> timeout = in.duration(value, "'timeout'", false);
      }
    }
    return new Limits(concurrency, agents, budget, timeout);
  }

  private Map<String, Integer> agentCaps(Tree v) {
    Mapping m = in.mapping(v, "'agents'", "a mapping of agent names to the most nodes at once");
    if (m == null) {
      return null;
    }
    in.duplicates(m, "agent", " in limits");
    Map<String, Integer> caps = new LinkedHashMap<>();
    for (Entry e : m.entries().values()) {
      Integer cap = in.positiveInt(e.value(), "limit for agent '" + e.key() + "'");
      if (cap != null) {
        caps.put(e.key(), cap);
      }
    }
    return caps;
  }

  private WorkspaceSpec workspace(Tree v) {
    Mapping m =
        in.mapping(
            v,
            "'workspace'",
            "a mapping {repo, ref, isolation, branch_prefix, push, remote, credentials, author}");
    if (m == null) {
      return null;
    }
    String repo = null;
    String ref = null;
    Isolation isolation = null;
    String branchPrefix = null;
    Boolean push = null;
    String remote = null;
    String credentials = null;
    String author = null;
    for (Entry e : in.entries(m, Keys.WORKSPACE, "workspace")) {
      Tree value = e.value();
      String label = "'" + e.key() + "'";
      switch (e.key()) {
        case "repo" -> repo = in.text(value, label);
        case "ref" -> ref = in.text(value, label);
        case "isolation" -> isolation = in.oneOf(value, label, Isolation.class);
        case "branch_prefix" -> branchPrefix = in.text(value, label);
        case "push" -> push = in.bool(value, label);
        case "credentials" -> credentials = in.text(value, label);
        case "author" -> author = in.text(value, label);
        default -> remote = in.text(value, label);
      }
    }
    return new WorkspaceSpec(repo, ref, isolation, branchPrefix, push, remote, credentials, author);
  }

  private Map<String, NodeSpec> nodes(Tree v) {
    Mapping m = in.mapping(v, "'nodes'", "a mapping of node ids to nodes");
    if (m == null) {
      return null;
    }
    in.duplicates(m, "node id", "");
    if (m.entries().isEmpty()) {
      in.report(v.position(), "'nodes' is empty; a workflow needs at least one node");
    }
    Map<String, NodeSpec> out = new LinkedHashMap<>();
    for (Entry e : m.entries().values()) {
      if (!NODE_ID.matcher(e.key()).matches()) {
        in.report(
            e.keyPosition(),
            "node id '"
                + e.key()
                + "' must match "
                + NODE_ID.pattern()
                + " (letters, digits, '_' and '-'); for example '"
                + slug(e.key(), false)
                + "'");
      }
      Mapping node = in.mapping(e.value(), "node '" + e.key() + "'", "a mapping of node keys");
      out.put(
          e.key(), node == null ? NodeSpec.builder(e.key()).build() : nodes.node(e.key(), node));
    }
    return out;
  }

  private Map<String, WorkflowOutput> outputs(Tree v) {
    Mapping m = in.mapping(v, "'outputs'", "a mapping of output names to {value, description}");
    if (m == null) {
      return null;
    }
    in.duplicates(m, "output", " of the workflow");
    Map<String, WorkflowOutput> out = new LinkedHashMap<>();
    for (Entry e : m.entries().values()) {
      String where = "workflow output '" + e.key() + "'";
      if (e.value() instanceof Scalar) {
        String value = in.text(e.value(), where);
        if (value != null) {
          out.put(e.key(), new WorkflowOutput(value, null));
        }
        continue;
      }
      Mapping spec = in.mapping(e.value(), where, "a template or a mapping {value, description}");
      if (spec == null) {
        continue;
      }
      String value = null;
      String description = null;
      for (Entry f : in.entries(spec, Keys.WORKFLOW_OUTPUT, where)) {
        if (f.key().equals("value")) {
          value = in.text(f.value(), "'value'");
        } else {
          description = in.string(f.value(), "'description'");
        }
      }
      if (!spec.entries().containsKey("value")) {
        in.report(spec.position(), where + " needs a 'value', e.g. '{{ nodes.ID.output }}'");
      } else if (value != null) {
        out.put(e.key(), new WorkflowOutput(value, description));
      }
    }
    return out;
  }
}
