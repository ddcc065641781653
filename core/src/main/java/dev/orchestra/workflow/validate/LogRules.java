package dev.orchestra.workflow.validate;

import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Logs;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.SourceMap;
import java.util.Map;

/**
 * How much output an untrusted workflow may have recorded (docs/security.md, "Inputs and limits"):
 * {@code logs: {max: …}} up to {@link Logs#UNTRUSTED_CEILING} per stream; more, or {@code
 * unlimited}, needs a trusted run. The engine applies the same ceiling to a workflow that skipped
 * validation.
 */
final class LogRules {
  private LogRules() {}

  static void check(ValidationScope scope) {
    if (scope.validation().options().trust().isLocal()) {
      return;
    }
    node(scope, scope.workflow().defaults().logs(), "/defaults", "'defaults'");
    for (Map.Entry<String, NodeSpec> e : scope.workflow().nodes().entrySet()) {
      node(
          scope,
          e.getValue().logs(),
          SourceMap.pointer("nodes", e.getKey()),
          "node '" + e.getKey() + "'");
    }
  }

  private static void node(ValidationScope scope, Logs logs, String at, String owner) {
    if (logs == null || logs.max() <= Logs.UNTRUSTED_CEILING) {
      return;
    }
    scope.atValue(
        at + "/logs/max",
        "logs 'max: "
            + logs.describe()
            + "' of "
            + owner
            + " goes beyond what an untrusted workflow may record: "
            + Logs.describe(Logs.UNTRUSTED_CEILING)
            + " of each stream of an attempt",
        "ask for at most " + (Logs.UNTRUSTED_CEILING >> 20) + "MiB; " + Trust.HOW_TO_TRUST);
  }
}
