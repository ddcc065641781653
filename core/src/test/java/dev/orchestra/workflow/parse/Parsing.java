package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Test shorthand: parse text and assert problems by line, column and message. */
final class Parsing {
  static final WorkflowParser PARSER = WorkflowParser.create();
  static final Path YAML = Path.of("flow.yaml");
  static final Path JSON = Path.of("flow.json");

  private Parsing() {}

  static ParseResult yaml(String content) {
    return PARSER.parse(YAML, content);
  }

  static ParseResult json(String content) {
    return PARSER.parse(JSON, content);
  }

  /** Renders problems as {@code LINE:COL MESSAGE} lines, the form the assertions compare. */
  static List<String> problems(ParseResult r) {
    return r.problems().stream()
        .map(p -> p.position().line() + ":" + p.position().column() + " " + p.text())
        .collect(Collectors.toList());
  }

  /** Asserts that the result has exactly the one problem {@code line:col message}. */
  static void assertOnlyProblem(ParseResult r, int line, int column, String message) {
    assertThat(problems(r)).containsExactly(line + ":" + column + " " + message);
  }

  static Problem only(ParseResult r) {
    assertThat(r.problems()).hasSize(1);
    return r.problems().get(0);
  }
}
