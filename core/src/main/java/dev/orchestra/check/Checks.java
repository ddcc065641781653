package dev.orchestra.check;

import dev.orchestra.exec.Watchdog;
import dev.orchestra.workflow.CheckSpec;
import java.time.Duration;
import java.util.List;

/**
 * The built-in checks (docs/checks.md), one factory method per kind; {@link #from(CheckSpec)} turns
 * a workflow's check into one. Every check returned is immutable and thread-safe, and reports
 * failures as {@link CheckResult} values whose output is at most {@link
 * dev.orchestra.exec.Tail#FEEDBACK_BYTES}.
 */
public final class Checks {
  private Checks() {}

  /** Passes when every glob (relative to the workspace, {@code **} allowed) matches a file. */
  public static Check exists(List<String> globs) {
    return new ExistsCheck(new CheckSpec.Exists(globs).name(), globs);
  }

  /** {@link #exists(List)} for one glob. */
  public static Check exists(String glob) {
    return exists(List.of(glob));
  }

  /**
   * Passes when {@code sh -c command} exits 0 in the workspace, run by the context's executor.
   *
   * @param timeout the most time it may take before it is killed and fails, or {@code null}
   */
  public static Check command(String command, Duration timeout) {
    return new RunCheck("run: " + command, command, timeout, Watchdog.shared());
  }

  /**
   * Passes when the JUnit XML reports matching {@code glob} parse, hold at least {@code minTests}
   * tests that ran (skipped ones do not count), and none failed or erred.
   */
  public static Check junit(String glob, int minTests) {
    return new JunitCheck(new CheckSpec.Junit(glob, minTests).name(), glob, minTests);
  }

  /**
   * Passes when a second agent, run through {@link CheckContext#agents()}, judges the node's output
   * and diff against {@code criteria} and answers {@code {"pass": true}}.
   *
   * @param agent the critic's agent, or {@code null} for the node's
   * @param model its model, or {@code null}
   */
  public static Check critic(String agent, String criteria, String model) {
    return new CriticCheck(
        new CheckSpec.Critic(agent, criteria, model).name(), agent, criteria, model);
  }

  /** The check a workflow describes. */
  public static Check from(CheckSpec spec) {
    if (spec instanceof CheckSpec.Exists exists) {
      return new ExistsCheck(spec.name(), exists.globs());
    } else if (spec instanceof CheckSpec.Run run) {
      return new RunCheck(spec.name(), run.command(), run.timeout(), Watchdog.shared());
    } else if (spec instanceof CheckSpec.Junit junit) {
      return new JunitCheck(spec.name(), junit.glob(), junit.minTests());
    } else if (spec instanceof CheckSpec.Critic critic) {
      return new CriticCheck(spec.name(), critic.agent(), critic.prompt(), critic.model());
    }
    throw new IllegalArgumentException("unknown check kind: " + spec);
  }

  /** The checks of a node, in order. */
  public static List<Check> from(List<CheckSpec> specs) {
    return specs.stream().map(Checks::from).toList();
  }
}
