package dev.orchestra.workflow.parse;

import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.Workflow;
import java.util.List;

/**
 * What {@link WorkflowParser} made of a file: the workflow as far as it could be read, and every
 * problem found.
 *
 * @param workflow the best-effort model, built even when there are problems (bad values are left
 *     absent); {@code null} only when the file could not be read or is not YAML/JSON at all
 * @param problems every problem found, in file order; empty when the file parsed clean
 */
public record ParseResult(Workflow workflow, List<Problem> problems) {
  public ParseResult {
    problems = List.copyOf(problems);
  }

  /** Whether the file parsed with no problem (the validator may still find some). */
  public boolean ok() {
    return workflow != null && problems.isEmpty();
  }
}
