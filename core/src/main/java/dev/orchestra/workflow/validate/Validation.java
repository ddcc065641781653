package dev.orchestra.workflow.validate;

import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.SourcePosition;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One call of {@link WorkflowValidator#validate}: the problems found so far, the composed files
 * loaded (each parsed once), and the chain of files being validated, which reveals composition
 * cycles. Not thread-safe.
 */
final class Validation {
  private final ValidationOptions options;
  private final List<Problem> problems = new ArrayList<>();
  private final Map<Path, ParseResult> loaded = new HashMap<>();
  private final Set<Path> validated = new HashSet<>();
  // Files being validated, outermost first: absolute key to the path as users wrote it.
  private final LinkedHashMap<Path, Path> chain = new LinkedHashMap<>();
  private final TemplatePositions positions;
  // The repository of the outermost file: prompt_file and uses of every file stay inside it.
  private WorkspacePaths repository;

  Validation(ValidationOptions options) {
    this.options = options;
    this.positions = new TemplatePositions(options.sources());
  }

  ValidationOptions options() {
    return options;
  }

  List<Problem> problems() {
    return problems;
  }

  void report(Problem problem) {
    problems.add(problem);
  }

  SourcePosition locate(SourceMap map, String pointer, String text, int offset, int length) {
    return positions.locate(map, pointer, text, offset, length);
  }

  /**
   * Validates {@code wf} with every rule, then the workflows it composes, each file once.
   *
   * @param inputs the inputs given to this workflow, or {@code null} when not known
   */
  void validate(Workflow wf, Map<String, String> inputs) {
    if (repository == null) {
      repository =
          WorkspacePaths.repository(
              wf.file() != null ? wf.file() : Path.of("workflow.yaml"), options.trust());
    }
    Path key = key(wf.file());
    if (key != null && !validated.add(key)) {
      return;
    }
    if (key != null) {
      chain.put(key, wf.file());
    }
    ValidationScope scope = new ValidationScope(this, wf);
    scope.graph(NeedsGraph.build(scope));
    NodeRules.check(scope);
    CompositionRules.check(scope);
    ReferenceRules.check(scope);
    InputRules.check(scope, inputs);
    WorkspaceRules.check(scope);
    PathRules.check(scope);
    DockerRules.check(scope);
    LogRules.check(scope);
    if (key != null) {
      chain.remove(key);
    }
  }

  /**
   * The rule for {@code prompt_file} and {@code uses}: inside the repository of the outermost file
   * validated.
   */
  WorkspacePaths repository() {
    return repository;
  }

  /**
   * The files being validated from {@code file} inwards, as users wrote them, when {@code file} is
   * one of them (so using it again closes a cycle); otherwise empty.
   */
  List<Path> cycleTo(Path file) {
    Path key = key(file);
    List<Path> cycle = new ArrayList<>();
    boolean in = false;
    for (Map.Entry<Path, Path> e : chain.entrySet()) {
      in |= e.getKey().equals(key);
      if (in) {
        cycle.add(e.getValue());
      }
    }
    return cycle;
  }

  /**
   * Parses {@code file} once per validation; the first time, its parse problems are reported (they
   * stand in that file).
   */
  ParseResult load(Path file) {
    Path key = key(file);
    ParseResult known = loaded.get(key);
    if (known != null) {
      return known;
    }
    ParseResult result = options.loader().load(file);
    loaded.put(key, result);
    problems.addAll(result.problems());
    return result;
  }

  private static Path key(Path file) {
    return file == null ? null : file.toAbsolutePath().normalize();
  }
}
