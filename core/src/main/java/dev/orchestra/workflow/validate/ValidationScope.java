package dev.orchestra.workflow.validate;

import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One workflow file within a {@link Validation}: the facts the rules share about it (its needs
 * graph, the workflows its nodes compose), and where its problems go, placed by its source map.
 * {@link Validation} makes one per file it validates. Not thread-safe.
 */
final class ValidationScope {
  private final Validation validation;
  private final Workflow workflow;
  private final Map<String, Workflow> composed = new HashMap<>();
  private NeedsGraph graph;

  ValidationScope(Validation validation, Workflow workflow) {
    this.validation = validation;
    this.workflow = workflow;
  }

  Validation validation() {
    return validation;
  }

  Workflow workflow() {
    return workflow;
  }

  SourceMap sourceMap() {
    return workflow.sourceMap();
  }

  NeedsGraph graph() {
    return graph;
  }

  void graph(NeedsGraph g) {
    graph = g;
  }

  /** The workflow a composed node uses, once loaded; {@code null} if it could not be read. */
  Workflow composed(String nodeId) {
    return composed.get(nodeId);
  }

  void composed(String nodeId, Workflow used) {
    composed.put(nodeId, used);
  }

  /** The name of the workflow's file as users wrote it, for messages. */
  String fileName() {
    Path file = workflow.file();
    return file == null ? "the workflow" : file.toString();
  }

  /** {@code relative} resolved against the directory of the workflow's file. */
  Path resolve(String relative) {
    return dir().resolve(relative).normalize();
  }

  /**
   * The directory of the workflow's file, which its {@code prompt_file} and {@code uses} start
   * from.
   */
  Path dir() {
    Path file = workflow.file();
    Path dir = file == null ? null : file.getParent();
    return dir == null ? Path.of("") : dir;
  }

  /**
   * {@code written} (a {@code prompt_file} or {@code uses}) under the path rule: inside the
   * repository of the outermost workflow validated, symbolic links resolved.
   */
  WorkspacePaths.Resolved repositoryPath(String written) {
    return validation.repository().resolve(dir(), written);
  }

  /** Reports a problem at the key {@code pointer} names. */
  void atKey(String pointer, String message) {
    atKey(pointer, message, null);
  }

  /** Reports a problem with a hint ({@link Problem#hint()}, may be null) at a key. */
  void atKey(String pointer, String message, String hint) {
    validation.report(new Problem(sourceMap().key(pointer), message, hint));
  }

  /** Reports a problem at the value {@code pointer} names. */
  void atValue(String pointer, String message) {
    atValue(pointer, message, null);
  }

  /** Reports a problem with a hint ({@link Problem#hint()}, may be null) at a value. */
  void atValue(String pointer, String message, String hint) {
    validation.report(new Problem(sourceMap().value(pointer), message, hint));
  }

  /** Reports {@code finding} at the value {@code pointer} names. */
  void atValue(String pointer, Finding finding) {
    atValue(pointer, finding.message(), finding.hint());
  }

  /**
   * Reports {@code finding} at the character {@code offset} of the template text standing at {@code
   * pointer}.
   */
  void atTemplate(String pointer, String text, int offset, int length, Finding finding) {
    validation.report(
        new Problem(
            validation.locate(sourceMap(), pointer, text, offset, length),
            finding.message(),
            finding.hint()));
  }
}
