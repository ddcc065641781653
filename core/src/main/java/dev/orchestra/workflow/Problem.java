package dev.orchestra.workflow;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with a workflow file, at a place in it: a value, so that each front end renders
 * it its own way (the CLI as a {@code FILE:LINE:COL: error: MESSAGE} line, a server as JSON). The
 * components are flat and plain ({@code {file, line, column, message, hint}}) so that a record
 * serialiser writes exactly that object.
 *
 * @param file the file as the user named it, or {@code null} for a workflow built in code
 * @param line the 1-based line, or 0 when the problem concerns the file as a whole
 * @param column the 1-based column, or 0 with {@code line}
 * @param message what is wrong, and often the fix
 * @param hint a suggestion drawn from what the file holds or allows (a did-you-mean, the valid keys
 *     or names, how to quote a value), or {@code null}; a front end may offer it apart from the
 *     message, and {@link #text()} appends it as {@code "; HINT"}
 */
public record Problem(String file, int line, int column, String message, String hint) {

  /** Orders problems by file, line and column, as a user reads them. */
  public static final Comparator<Problem> BY_POSITION =
      Comparator.comparing((Problem p) -> String.valueOf(p.file()))
          .thenComparingInt(Problem::line)
          .thenComparingInt(Problem::column);

  public Problem {
    Objects.requireNonNull(message, "message");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException(
          "line and column must be >= 0 (0 for unknown), was " + line + ":" + column);
    }
    if (hint != null && hint.isBlank()) {
      hint = null;
    }
  }

  /** A problem at {@code position} without a separate hint. */
  public Problem(SourcePosition position, String message) {
    this(position, message, null);
  }

  /** A problem at {@code position}; {@code hint} may be {@code null}. */
  public Problem(SourcePosition position, String message, String hint) {
    this(
        position.file() == null ? null : position.file().toString(),
        position.line(),
        position.column(),
        message,
        hint);
  }

  /** Where the problem stands. */
  public SourcePosition position() {
    return new SourcePosition(file == null ? null : Path.of(file), line, column);
  }

  /** The message with the hint appended as {@code "; HINT"}: the sentence users read. */
  public String text() {
    return hint == null ? message : message + "; " + hint;
  }

  /** The {@code FILE:LINE:COL: error: MESSAGE; HINT} line the CLI prints. */
  @Override
  public String toString() {
    return position() + ": error: " + text();
  }
}
