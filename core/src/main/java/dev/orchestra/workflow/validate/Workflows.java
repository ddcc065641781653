package dev.orchestra.workflow.validate;

import dev.orchestra.OrchestraException.InvalidWorkflowException;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a workflow file in one call, for the engine and the front ends.
 *
 * <p>Reads the file, the files it composes and its prompt files; blocks on that I/O. Stateless and
 * thread-safe.
 */
public final class Workflows {
  private Workflows() {}

  /**
   * Reads {@code file} without a run in view: required inputs are not checked.
   *
   * @throws InvalidWorkflowException as {@link #load(Path, Map)}
   */
  public static Workflow load(Path file) {
    return load(file, ValidationOptions.defaults());
  }

  /**
   * Reads {@code file}, ready to run with {@code inputs}.
   *
   * @param inputs the run's input values; {@code null} to validate without a run (required inputs
   *     are then not checked)
   * @throws InvalidWorkflowException with every parse and validation problem, sorted by position
   */
  public static Workflow load(Path file, Map<String, String> inputs) {
    ValidationOptions options = ValidationOptions.defaults();
    return load(file, inputs == null ? options : options.withInputs(inputs));
  }

  /**
   * Reads {@code file} with the given options (known agents, inputs, how composed files are read).
   *
   * @throws InvalidWorkflowException as {@link #load(Path, Map)}
   */
  public static Workflow load(Path file, ValidationOptions options) {
    return checked(WorkflowParser.create().parse(file), options);
  }

  /**
   * Reads {@code text} as the content of {@code file} (a recorded or submitted workflow) with the
   * given options; composed and prompt files are still read relative to {@code file}.
   *
   * @throws InvalidWorkflowException as {@link #load(Path, Map)}
   */
  public static Workflow load(Path file, String text, ValidationOptions options) {
    return checked(WorkflowParser.create().parse(file, text), options);
  }

  private static Workflow checked(ParseResult parsed, ValidationOptions options) {
    List<Problem> problems = check(parsed, options);
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
    return parsed.workflow();
  }

  /**
   * Every parse and validation problem of {@code parsed}, sorted by {@link Problem#BY_POSITION};
   * empty when the workflow may run. Validation is skipped only when the parser produced no
   * workflow at all.
   */
  public static List<Problem> check(ParseResult parsed, ValidationOptions options) {
    List<Problem> problems = new ArrayList<>(parsed.problems());
    if (parsed.workflow() != null) {
      problems.addAll(WorkflowValidator.create().validate(parsed.workflow(), options));
    }
    problems.sort(Problem.BY_POSITION);
    return problems;
  }
}
