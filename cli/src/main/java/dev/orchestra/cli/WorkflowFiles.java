package dev.orchestra.cli;

import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How commands read a workflow file: parse it, then validate it (including the files it composes),
 * collecting the problems of both stages so that one run reports them all. Never throws for bad
 * input; blocks on reading the files. Thread-safe.
 */
public final class WorkflowFiles {
  private static final WorkflowParser PARSER = WorkflowParser.create();

  private WorkflowFiles() {}

  /**
   * A file after parsing and validation.
   *
   * @param file the file as the user named it (problems print it the same way)
   * @param workflow the parsed workflow, or {@code null} when the file could not be read or parsed
   * @param problems every problem found, unsorted
   */
  public record Checked(Path file, Workflow workflow, List<Problem> problems) {
    public Checked {
      problems = List.copyOf(problems);
    }

    /** Whether the workflow can be used: parsed, and no problem found. */
    public boolean ok() {
      return workflow != null && problems.isEmpty();
    }
  }

  /**
   * Parses and validates {@code file} as an untrusted workflow.
   *
   * @param inputs input values given on the command line, or {@code null} when none were given, in
   *     which case required inputs are not checked
   */
  public static Checked check(Path file, Map<String, String> inputs) {
    return check(file, inputs, Trust.UNTRUSTED);
  }

  /**
   * Parses and validates {@code file} with the path rules of {@code trust}.
   *
   * @param inputs as {@link #check(Path, Map)}
   */
  public static Checked check(Path file, Map<String, String> inputs, Trust trust) {
    ParseResult parsed = PARSER.parse(file);
    ValidationOptions options = ValidationOptions.defaults().withTrust(trust);
    if (inputs != null) {
      options = options.withInputs(inputs);
    }
    return new Checked(file, parsed.workflow(), Workflows.check(parsed, options));
  }
}
