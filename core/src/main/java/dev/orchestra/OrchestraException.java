package dev.orchestra;

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
   * A workflow that cannot be used: every problem found, each rendered {@code FILE:LINE:COL: error:
   * MESSAGE}.
   */
  public static final class InvalidWorkflowException extends OrchestraException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidWorkflowException(List<String> problems) {
      super(String.join(System.lineSeparator(), problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
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
