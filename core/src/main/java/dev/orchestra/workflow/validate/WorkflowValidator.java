package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.Workflow;
import java.util.List;
import java.util.Objects;

/**
 * Finds everything wrong with a parsed workflow that the parser cannot see: the {@code needs} graph
 * (unknown targets, cycles), template references, agents, executors, composed workflows ({@code
 * uses}, also cycles through them), readable files and, when running, the given inputs.
 *
 * <p>All problems are reported in one pass, each at its place in its own file (problems inside a
 * composed file stand in that file, including its parse problems). The result is in discovery
 * order; sort with {@link Problem#BY_POSITION} to print. The workflow may be the best-effort result
 * of a parse that itself found problems: absent values are skipped, not reported again.
 *
 * <p>Validating a workflow of 10,000 nodes and 30,000 needs takes well under a second: the work is
 * linear in the file, plus bit-set ancestor sets when templates reference nodes beyond their direct
 * needs. Reads composed and prompt files; stateless and safe to share between threads.
 */
public final class WorkflowValidator {
  private WorkflowValidator() {}

  public static WorkflowValidator create() {
    return new WorkflowValidator();
  }

  /**
   * Every problem with {@code workflow}; empty when it may run.
   *
   * @param workflow a parsed workflow; positions come from its source map
   * @param options the known agents, the inputs of a run (if any), and how to read composed files
   */
  public List<Problem> validate(Workflow workflow, ValidationOptions options) {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(options, "options");
    Validation validation = new Validation(options);
    validation.validate(workflow, options.inputs());
    return List.copyOf(validation.problems());
  }
}
