package dev.orchestra.engine;

import dev.orchestra.OrchestraException.InvalidWorkflowException;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.WorkflowParser;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Path;

/**
 * Turns workflow files into checked {@link Workflow}s for the engine: the files named by {@code
 * uses}, and the recorded text of a run being resumed. Implementations parse and validate, with the
 * path rules of the given {@link Trust}, and throw {@link InvalidWorkflowException} with every
 * problem.
 */
public interface WorkflowReader {

  /** Reads and checks the file at {@code file}. */
  Workflow load(Path file, Trust trust);

  /** Checks {@code text} as if it were the content of {@code file}. */
  Workflow parse(Path file, String text, Trust trust);

  /** Parses with {@link WorkflowParser} and validates with the default validation options. */
  static WorkflowReader validating() {
    return new WorkflowReader() {
      @Override
      public Workflow load(Path file, Trust trust) {
        return Workflows.load(file, ValidationOptions.defaults().withTrust(trust));
      }

      @Override
      public Workflow parse(Path file, String text, Trust trust) {
        return Workflows.load(file, text, ValidationOptions.defaults().withTrust(trust));
      }
    };
  }
}
