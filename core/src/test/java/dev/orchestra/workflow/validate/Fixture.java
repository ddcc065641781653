package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes workflow files into a directory and validates them as the CLI would. */
final class Fixture {
  private final Path dir;

  Fixture(Path dir) {
    this.dir = dir;
  }

  /** Writes {@code content} to {@code name} (parent directories created) and answers its path. */
  Path write(String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parse and validation problems of {@code name}, rendered as {@code FILE:LINE:COL: ...}. */
  List<String> problems(String name, ValidationOptions options) {
    ParseResult parsed = WorkflowParser.create().parse(dir.resolve(name));
    return Workflows.check(parsed, options).stream().map(this::render).toList();
  }

  List<String> problems(String name) {
    return problems(name, ValidationOptions.defaults());
  }

  /** Validation problems only (the file must parse clean). */
  List<String> validationProblems(String name, ValidationOptions options) {
    ParseResult parsed = WorkflowParser.create().parse(dir.resolve(name));
    if (!parsed.ok()) {
      throw new AssertionError("fixture does not parse clean: " + parsed.problems());
    }
    List<Problem> problems = WorkflowValidator.create().validate(parsed.workflow(), options);
    return problems.stream().sorted(Problem.BY_POSITION).map(this::render).toList();
  }

  List<String> validationProblems(String name) {
    return validationProblems(name, ValidationOptions.defaults());
  }

  ValidationOptions running(Map<String, String> inputs) {
    return ValidationOptions.defaults().withInputs(inputs);
  }

  /**
   * The problem with the directory removed from its position, so tests read {@code flow.yaml:3:5:
   * ...}; messages keep their paths.
   */
  private String render(Problem p) {
    String text = p.toString();
    String prefix = dir + "/";
    return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
  }
}
