package dev.orchestra.cli;

import dev.orchestra.engine.Preflight;
import dev.orchestra.workflow.Problem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How every command shows workflow problems: one {@code FILE:LINE:COL: error: MESSAGE} line each,
 * ordered by file, line and column ({@link Problem#BY_POSITION}), so that editors and CI logs can
 * jump to them.
 */
public final class ProblemReport {
  private ProblemReport() {}

  /** Prints {@code problems} sorted by position, one per line. */
  public static void print(Collection<Problem> problems, PrintWriter err) {
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Problem.BY_POSITION);
    for (Problem p : sorted) {
      err.println(p);
    }
    err.flush();
  }

  /**
   * Prints what a pre-flight check found: its warnings ({@code FILE:LINE:COL: warning: …}), its
   * problems, and when there are problems a last line saying nothing was started.
   *
   * @return whether the run may start (no problems)
   */
  public static boolean preflight(Preflight.Findings findings, PrintWriter err) {
    List<Problem> warnings = new ArrayList<>(findings.warnings());
    warnings.sort(Problem.BY_POSITION);
    for (Problem w : warnings) {
      err.println(w.position() + ": warning: " + w.text());
    }
    print(findings.problems(), err);
    if (!findings.problems().isEmpty()) {
      err.println(
          "pre-flight: "
              + plural(findings.problems().size(), "problem")
              + " to fix before the run can start; nothing was run");
    }
    err.flush();
    return findings.problems().isEmpty();
  }

  /** A summary such as {@code 2 files, 10 errors} or {@code 1 file, 1 error}. */
  public static String summary(int files, int errors) {
    return plural(files, "file") + ", " + plural(errors, "error");
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
