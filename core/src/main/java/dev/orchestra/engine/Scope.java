package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One workflow inside a run: the top-level workflow, or a workflow used by a composed node. Holds
 * its nodes by their local ids and its inputs, and resolves template references against them.
 */
final class Scope {
  final Workflow workflow;
  final String prefix;
  final Path dir;
  final Map<String, GraphNode> nodes = new LinkedHashMap<>();
  private volatile Map<String, String> inputs = Map.of();

  Scope(Workflow workflow, String prefix, Path dir) {
    this.workflow = workflow;
    this.prefix = prefix;
    this.dir = dir;
  }

  Map<String, String> inputs() {
    return inputs;
  }

  /** Sets the inputs: the given values over the declared defaults. */
  void inputs(Map<String, String> given) {
    Map<String, String> all = new LinkedHashMap<>();
    workflow
        .inputs()
        .forEach(
            (name, spec) -> {
              if (spec.defaultValue() != null) {
                all.put(name, spec.defaultValue());
              }
            });
    all.putAll(given);
    this.inputs = java.util.Collections.unmodifiableMap(all);
  }

  /** Renders {@code template} against this scope. */
  String render(String template, String where, String runId, Map<String, String> env) {
    return Templates.render(template, ref -> resolve(ref, where, runId, env));
  }

  private String resolve(String ref, String where, String runId, Map<String, String> env) {
    String[] p = ref.split("\\.", -1);
    String value =
        switch (p[0]) {
          case "inputs" -> p.length == 2 ? inputs.get(p[1]) : null;
          case "run" -> p.length == 2 && p[1].equals("id") ? runId : null;
          case "env" -> p.length == 2 ? env.get(p[1]) : null;
          case "nodes" -> node(p);
          default -> null;
        };
    if (value == null) {
      throw new OrchestraException(
          "template {{ " + ref + " }} in " + where + " has no value: " + why(p));
    }
    return value;
  }

  private String node(String[] p) {
    if (p.length < 3) {
      return null;
    }
    GraphNode n = nodes.get(p[1]);
    if (n == null) {
      return null;
    }
    if (p.length == 3 && p[2].equals("output")) {
      return n.output;
    }
    if (p.length == 4 && p[2].equals("outputs")) {
      return n.outputs.get(p[3]);
    }
    return null;
  }

  private String why(String[] p) {
    return switch (p[0]) {
      case "inputs" -> "no input of that name was given and it has no default";
      case "env" -> "the environment variable is not set";
      case "nodes" ->
          p.length > 1 && nodes.containsKey(p[1])
              ? "node '" + p[1] + "' has not produced it (does this node need it?)"
              : "there is no such node";
      default -> "references start with inputs., nodes., run. or env.";
    };
  }
}
