package dev.orchestra.workflow;

import java.nio.file.Path;

/**
 * A place in a workflow file: 1-based line and column.
 *
 * <p>{@link #toString()} renders the {@code FILE:LINE:COL} prefix used in every error message.
 */
public record SourcePosition(Path file, int line, int column) {

  /** A position for a workflow that was not read from a file. */
  public static SourcePosition unknown(Path file) {
    return new SourcePosition(file, 0, 0);
  }

  @Override
  public String toString() {
    String name = file == null ? "<workflow>" : file.toString();
    return line <= 0 ? name : name + ":" + line + ":" + column;
  }
}
