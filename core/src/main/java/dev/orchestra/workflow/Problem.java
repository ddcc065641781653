package dev.orchestra.workflow;

import java.util.Comparator;

/**
 * One thing wrong with a workflow file, at a place in it. {@link #toString()} renders the {@code
 * FILE:LINE:COL: error: MESSAGE} line users see.
 *
 * @param position where the offending key or value stands
 * @param message what is wrong and, where there is one, the fix
 */
public record Problem(SourcePosition position, String message) {

  /** Orders problems by file, line and column, as a user reads them. */
  public static final Comparator<Problem> BY_POSITION =
      Comparator.comparing((Problem p) -> String.valueOf(p.position().file()))
          .thenComparingInt(p -> p.position().line())
          .thenComparingInt(p -> p.position().column());

  @Override
  public String toString() {
    return position + ": error: " + message;
  }
}
