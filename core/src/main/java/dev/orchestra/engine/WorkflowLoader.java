package dev.orchestra.engine;

import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;

/**
 * Turns workflow files into checked {@link Workflow}s for the engine: the files named by {@code
 * uses}, and the recorded text of a run being resumed. Implementations parse and validate, and
 * throw {@link dev.orchestra.OrchestraException.InvalidWorkflowException} with every problem.
 */
public interface WorkflowLoader {

  /** Reads and checks the file at {@code file}. */
  Workflow load(Path file);

  /** Checks {@code text} as if it were the content of {@code file}. */
  Workflow parse(Path file, String text);
}
