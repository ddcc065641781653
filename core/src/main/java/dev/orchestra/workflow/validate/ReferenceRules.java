package dev.orchestra.workflow.validate;

import dev.orchestra.secret.Credentials;
import dev.orchestra.template.Reference;
import dev.orchestra.template.Template;
import dev.orchestra.template.TemplateProblem;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.ContextSource;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.WorkflowOutput;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * References (docs/workflow.md) and {@code context: {node: …}} sources must name declared inputs,
 * existing nodes the referring node (transitively) needs, and declared outputs.
 *
 * <p>Templates are read wherever they apply: prompts, {@code model}, {@code endpoint}, {@code with}
 * and {@code env} values, context sources, critic criteria, approval messages, the workspace {@code
 * ref} and workflow {@code outputs}. Node outputs cannot be read from {@code defaults} (they apply
 * to every node, including the ones producing the outputs) nor from the workspace {@code ref}
 * (resolved before any node runs).
 */
final class ReferenceRules {
  private ReferenceRules() {}

  /**
   * Where a template stands, and which node outputs it may read.
   *
   * @param node the node whose template it is, or {@code null}
   * @param anyNode whether every node's outputs are readable (workflow outputs)
   * @param noNodes why no node outputs are readable, or {@code null} when some are
   */
  private record Site(String node, boolean anyNode, String noNodes) {
    static Site ofNode(String id) {
      return new Site(id, false, null);
    }
  }

  private static final Site DEFAULTS =
      new Site(
          null,
          false,
          "'defaults' apply to every node, including the one producing it; move it to the nodes"
              + " that need that node");

  static void check(ValidationScope scope) {
    Workflow wf = scope.workflow();
    node(scope, wf.defaults(), "/defaults", DEFAULTS);
    for (Map.Entry<String, NodeSpec> e : wf.nodes().entrySet()) {
      node(scope, e.getValue(), SourceMap.pointer("nodes", e.getKey()), Site.ofNode(e.getKey()));
    }
    if (wf.workspace().ref() != null) {
      template(
          scope,
          "/workspace/ref",
          wf.workspace().ref(),
          new Site(null, false, "the workspace 'ref' is resolved before any node runs"));
    }
    Site outputs = new Site(null, true, null);
    for (Map.Entry<String, WorkflowOutput> e : wf.outputs().entrySet()) {
      if (e.getValue() != null && e.getValue().value() != null) {
        String at = SourceMap.pointer("outputs", e.getKey(), "value");
        template(scope, at, e.getValue().value(), outputs);
      }
    }
  }

  private static void node(ValidationScope scope, NodeSpec node, String at, Site site) {
    if (node.prompt() != null) {
      template(scope, at + "/prompt", node.prompt(), site);
    }
    if (node.model() != null) {
      template(scope, at + "/model", node.model(), site);
    }
    if (node.endpoint() != null) {
      template(scope, at + "/endpoint", node.endpoint(), site);
    }
    if (node.approval() != null && node.approval().message() != null) {
      template(scope, at + "/approval/message", node.approval().message(), site);
    }
    values(scope, node.with(), at + "/with", site);
    values(scope, node.env(), at + "/env", site);
    List<ContextSource> context = node.contextOrEmpty();
    for (int i = 0; i < context.size(); i++) {
      String item = at + "/context/" + i;
      ContextSource source = context.get(i);
      if (source instanceof ContextSource.FileContext file && file.glob() != null) {
        template(scope, item + "/file", file.glob(), site);
      } else if (source instanceof ContextSource.UrlContext url && url.url() != null) {
        template(scope, item + "/url", url.url(), site);
      } else if (source instanceof ContextSource.NodeContext n && n.node() != null) {
        Finding problem =
            nodeProblem(scope, n.node(), site, () -> "context node '" + n.node() + "'");
        if (problem != null) {
          scope.atValue(item + "/node", problem);
        }
      }
    }
    List<CheckSpec> checks = node.checksOrEmpty();
    for (int i = 0; i < checks.size(); i++) {
      if (checks.get(i) instanceof CheckSpec.Critic critic && critic.prompt() != null) {
        template(scope, at + "/checks/" + i + "/critic/prompt", critic.prompt(), site);
      }
    }
  }

  private static void values(ValidationScope scope, Map<String, String> map, String at, Site site) {
    if (map != null) {
      map.forEach(
          (key, value) -> {
            if (value != null) {
              template(scope, at + SourceMap.pointer(key), value, site);
            }
          });
    }
  }

  private static void template(ValidationScope scope, String pointer, String text, Site site) {
    if (text.indexOf('{') < 0) {
      return;
    }
    Template t = Template.parse(text);
    for (TemplateProblem p : t.problems()) {
      scope.atTemplate(pointer, text, p.offset(), 2, Finding.of(p.message()));
    }
    for (Reference ref : t.references()) {
      Finding problem = referenceProblem(scope, ref, site);
      if (problem != null) {
        scope.atTemplate(pointer, text, ref.offset(), ref.length(), problem);
      }
    }
  }

  private static Finding referenceProblem(ValidationScope scope, Reference ref, Site site) {
    Workflow wf = scope.workflow();
    return switch (ref.kind()) {
      case INPUT -> inputProblem(wf, ref);
      case NODE_OUTPUT -> nodeProblem(scope, ref.node(), site, ref::toString);
      case NODE_NAMED_OUTPUT -> {
        Finding problem = nodeProblem(scope, ref.node(), site, ref::toString);
        yield problem != null ? problem : outputProblem(scope, ref);
      }
      case ENV ->
          Credentials.isVariable(ref.name())
              ? new Finding(
                  Credentials.unreadableInTemplates(ref.name()),
                  Credentials.templateHint(ref.name()))
              : null;
      case RUN_ID -> null;
    };
  }

  private static Finding inputProblem(Workflow wf, Reference ref) {
    if (wf.inputs().containsKey(ref.name())) {
      return null;
    }
    return new Finding(
        "unknown input '" + ref.name() + "' in " + ref,
        Names.hint(
            ref.name(),
            wf.inputs().keySet(),
            "declared inputs: "
                + Names.list(wf.inputs().keySet())
                + " (declare it under 'inputs')"));
  }

  /** Why {@code site} may not read node {@code id}'s output, or {@code null} when it may. */
  private static Finding nodeProblem(
      ValidationScope scope, String id, Site site, Supplier<String> describe) {
    NeedsGraph graph = scope.graph();
    if (site.noNodes() != null) {
      return Finding.of(describe.get() + " cannot be read here: " + site.noNodes());
    }
    if (!graph.contains(id)) {
      return new Finding(
          "unknown node '" + id + "' in " + describe.get(),
          Names.hint(id, graph.ids(), "no node has that id"));
    }
    if (site.anyNode()) {
      return null;
    }
    if (id.equals(site.node())) {
      return Finding.of(
          "node '"
              + id
              + "' cannot read its own output ("
              + describe.get()
              + "); it exists only once the node has finished");
    }
    if (!graph.isUpstream(id, site.node())) {
      return Finding.of(
          "node '"
              + site.node()
              + "' reads "
              + describe.get()
              + " but does not need '"
              + id
              + "', so it may run first; add '"
              + id
              + "' to its needs");
    }
    return null;
  }

  private static Finding outputProblem(ValidationScope scope, Reference ref) {
    Workflow wf = scope.workflow();
    NodeSpec target = wf.nodes().get(ref.node());
    if (target.isComposed()) {
      Workflow used = scope.composed(ref.node());
      if (used == null || used.outputs().containsKey(ref.name())) {
        return null;
      }
      return new Finding(
          used.file()
              + " (used by node '"
              + ref.node()
              + "') declares no output '"
              + ref.name()
              + "' for "
              + ref,
          Names.hint(
              ref.name(),
              used.outputs().keySet(),
              "its outputs: " + Names.list(used.outputs().keySet())));
    }
    Map<String, ?> outputs = target.over(wf.defaults()).outputsOrEmpty();
    if (outputs.containsKey(ref.name())) {
      return null;
    }
    return new Finding(
        "node '" + ref.node() + "' declares no output '" + ref.name() + "' for " + ref,
        Names.hint(
            ref.name(),
            outputs.keySet(),
            "declare it under the node's 'outputs', or read {{ nodes."
                + ref.node()
                + ".output }} for its final message"));
  }
}
