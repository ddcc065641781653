package dev.orchestra;

import static java.util.stream.Collectors.joining;

import dev.orchestra.workflow.Problem;
import java.util.List;

/**
 * The one unchecked base exception of Orchestra. Subclasses exist only where callers react
 * differently.
 */
public class OrchestraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OrchestraException(String message) {
    super(message);
  }

  public OrchestraException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A workflow that cannot be used, carrying every problem found as a {@link Problem} value, in the
   * order given (callers sort them by position). Front ends render the problems themselves; {@link
   * #getMessage()} is their {@code FILE:LINE:COL: error: MESSAGE} lines, for logs.
   */
  public static final class InvalidWorkflowException extends OrchestraException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    /**
     * @param problems at least one problem
     */
    public InvalidWorkflowException(List<Problem> problems) {
      super(render(problems));
      this.problems = List.copyOf(problems);
    }

    private static String render(List<Problem> problems) {
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid workflow needs at least one problem");
      }
      return problems.stream().map(Problem::toString).collect(joining(System.lineSeparator()));
    }

    /** Every problem, in the order given. */
    public List<Problem> problems() {
      return problems;
    }
  }

  /** An agent or check process that could not be started (missing binary, bad directory). */
  public static final class LaunchException extends OrchestraException {
    private static final long serialVersionUID = 1L;

    public LaunchException(String message, Throwable cause) {
      super(message, cause);
    }

    public LaunchException(String message) {
      super(message);
    }
  }
}
