package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;

/**
 * Reads the workflow file a node composes with {@code uses}.
 *
 * <p>The validator calls it at most once per file and validation (it caches the answer), only for
 * files it has found readable. Implementations must not throw for bad content: they answer the
 * problems in the {@link ParseResult}.
 */
@FunctionalInterface
public interface WorkflowLoader {

  /** Parses {@code file}, a path resolved against the using workflow's directory. */
  ParseResult load(Path file);

  /** The loader that reads files from disk with {@link WorkflowParser}. */
  static WorkflowLoader fromDisk() {
    WorkflowParser parser = WorkflowParser.create();
    return parser::parse;
  }
}
