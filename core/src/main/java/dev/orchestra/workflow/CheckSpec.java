package dev.orchestra.workflow;

import java.time.Duration;
import java.util.List;

/** A check that must pass before a node counts as done (docs/checks.md). */
public sealed interface CheckSpec {

  /** A short, human-readable name used in events, feedback and reports. */
  String name();

  /** Passes when every glob matches at least one file in the workspace. */
  record Exists(List<String> globs) implements CheckSpec {
    public Exists {
      globs = List.copyOf(globs);
      if (globs.isEmpty()) {
        throw new IllegalArgumentException("an exists check must name at least one glob, was none");
      }
    }

    @Override
    public String name() {
      return "exists: " + String.join(", ", globs);
    }
  }

  /**
   * Passes when {@code sh -c command} exits 0 in the workspace.
   *
   * @param label the user's name for it, or {@code null}
   * @param timeout the check's own wall-clock limit, or {@code null}
   * @param executor where it runs, or {@code null} for the node's executor
   */
  record Run(String command, String label, Duration timeout, ExecutorKind executor)
      implements CheckSpec {
    public Run {
      if (command == null || command.isBlank()) {
        throw new IllegalArgumentException(
            "a run check needs a command, was " + (command == null ? "none" : "blank"));
      }
      NodeSpec.requirePositive(timeout, "run check timeout");
    }

    @Override
    public String name() {
      return label != null ? label : "run: " + command;
    }
  }

  /** Passes when the JUnit XML reports parse, hold at least {@code minTests}, none failing. */
  record Junit(String glob, int minTests) implements CheckSpec {
    public Junit {
      // The file format asks for at least 1; in code, 0 checks only that the reports parse.
      if (minTests < 0) {
        throw new IllegalArgumentException(
            "a junit check's min_tests must be >= 0, was " + minTests);
      }
    }

    @Override
    public String name() {
      return "junit: " + glob;
    }
  }

  /**
   * Passes when a second agent, shown the output, diff and criteria, answers {@code pass: true}.
   *
   * @param agent the critic's agent, or {@code null} for the node's
   * @param prompt the criteria (a template)
   * @param model the critic's model, or {@code null}
   */
  record Critic(String agent, String prompt, String model) implements CheckSpec {
    @Override
    public String name() {
      return "critic" + (agent == null ? "" : " (" + agent + ")");
    }
  }
}
