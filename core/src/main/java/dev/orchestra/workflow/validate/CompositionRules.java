package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.InputSpec;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Nodes that run another workflow ({@code uses}): the file must be readable and valid itself, must
 * not lead back to a workflow that uses it, and {@code with} must fill exactly its inputs.
 */
final class CompositionRules {
  private CompositionRules() {}

  static void check(ValidationScope scope) {
    for (Map.Entry<String, NodeSpec> e : scope.workflow().nodes().entrySet()) {
      if (e.getValue().isComposed()) {
        node(scope, e.getKey(), e.getValue());
      }
    }
  }

  private static void node(ValidationScope scope, String id, NodeSpec node) {
    String at = SourceMap.pointer("nodes", id);
    String outside = NodeRules.outsideRepository(scope, node.uses());
    if (outside != null) {
      scope.atValue(at + "/uses", "node '" + id + "' uses '" + node.uses() + "', which " + outside);
      return;
    }
    Path file = scope.resolve(node.uses());
    String why = NodeRules.unreadable(file);
    if (why != null) {
      scope.atValue(
          at + "/uses",
          "node '"
              + id
              + "' uses '"
              + node.uses()
              + "', which cannot be read: "
              + file.toAbsolutePath()
              + " "
              + why
              + "; the path is relative to the directory of "
              + scope.fileName());
      return;
    }
    Validation validation = scope.validation();
    List<Path> cycle = validation.cycleTo(file);
    if (!cycle.isEmpty()) {
      String chain =
          cycle.stream().map(Path::toString).collect(Collectors.joining(" -> "))
              + " -> "
              + cycle.get(0);
      scope.atValue(
          at + "/uses",
          "composed workflows form a cycle: "
              + chain
              + " (node '"
              + id
              + "' of "
              + scope.fileName()
              + " uses "
              + file
              + " again); remove one of these 'uses'");
      return;
    }
    ParseResult loaded = validation.load(file);
    Workflow used = loaded.workflow();
    if (used == null) {
      return;
    }
    scope.composed(id, used);
    validation.validate(used, null);
    with(scope, id, node, used, at);
  }

  private static void with(
      ValidationScope scope, String id, NodeSpec node, Workflow used, String at) {
    Map<String, String> with = node.with() == null ? Map.of() : node.with();
    Map<String, InputSpec> inputs = used.inputs();
    for (String key : with.keySet()) {
      if (!inputs.containsKey(key)) {
        scope.atKey(
            SourceMap.pointer("nodes", id, "with", key),
            "'with' key '" + key + "' of node '" + id + "' is not an input of " + used.file(),
            Names.hint(key, inputs.keySet(), "its inputs are " + Names.list(inputs.keySet())));
      }
    }
    for (Map.Entry<String, InputSpec> input : inputs.entrySet()) {
      InputSpec spec = input.getValue();
      if (spec != null && spec.mustBeGiven() && !with.containsKey(input.getKey())) {
        scope.atKey(
            node.with() != null ? at + "/with" : at + "/uses",
            "node '"
                + id
                + "' does not give the required input '"
                + input.getKey()
                + "' of "
                + used.file()
                + "; add it under 'with'");
      }
    }
  }
}
