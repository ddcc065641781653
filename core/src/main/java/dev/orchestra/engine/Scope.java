package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.Credentials;
import dev.orchestra.template.Reference;
import dev.orchestra.template.Template;
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

  /**
   * Renders {@code template} against this scope (docs/workflow.md, "Templates"), as plain text.
   *
   * @throws OrchestraException naming {@code where} and the reference that has no value
   */
  String render(String template, String where, String runId, Map<String, String> env) {
    if (template == null || template.indexOf('{') < 0) {
      return template;
    }
    try {
      return Template.parse(template).render(ref -> value(ref, runId, env));
    } catch (OrchestraException e) {
      throw new OrchestraException(where + ": " + e.getMessage(), e);
    }
  }

  private String value(Reference ref, String runId, Map<String, String> env) {
    return switch (ref.kind()) {
      case INPUT -> inputs.get(ref.name());
      case RUN_ID -> runId;
      case ENV -> {
        if (Credentials.isVariable(ref.name())) {
          throw new OrchestraException(
              Credentials.unreadableInTemplates(ref.name())
                  + "; "
                  + Credentials.templateHint(ref.name()));
        }
        yield env.get(ref.name());
      }
      case NODE_OUTPUT -> {
        GraphNode n = nodes.get(ref.node());
        yield n == null ? null : n.output;
      }
      case NODE_NAMED_OUTPUT -> {
        GraphNode n = nodes.get(ref.node());
        yield n == null ? null : n.outputs.get(ref.name());
      }
    };
  }
}
