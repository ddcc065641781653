package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.InputSpec;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.Workflow;
import java.util.Map;

/** The inputs a run is given must be declared, and must include every required one. */
final class InputRules {
  private InputRules() {}

  /**
   * Checks {@code given} against the declared inputs.
   *
   * @param given the run's input values, or {@code null} when only validating (nothing to check)
   */
  static void check(ValidationScope scope, Map<String, String> given) {
    if (given == null) {
      return;
    }
    Workflow wf = scope.workflow();
    for (Map.Entry<String, InputSpec> e : wf.inputs().entrySet()) {
      InputSpec spec = e.getValue();
      if (spec != null && spec.mustBeGiven() && !given.containsKey(e.getKey())) {
        scope.atKey(
            SourceMap.pointer("inputs", e.getKey()),
            "required input '"
                + e.getKey()
                + "' was not given; pass a value, e.g. orchestra run "
                + scope.fileName()
                + " -i "
                + e.getKey()
                + "=VALUE");
      }
    }
    for (String name : given.keySet()) {
      if (!wf.inputs().containsKey(name)) {
        scope.atKey(
            "/inputs",
            "input '" + name + "' was given but " + scope.fileName() + " declares no such input",
            Names.hint(
                name,
                wf.inputs().keySet(),
                "declared inputs: " + Names.list(wf.inputs().keySet())));
      }
    }
  }
}
