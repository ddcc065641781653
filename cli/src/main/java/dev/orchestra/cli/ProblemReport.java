package dev.orchestra.cli;

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

  /** A summary such as {@code 2 files, 10 errors} or {@code 1 file, 1 error}. */
  public static String summary(int files, int errors) {
    return plural(files, "file") + ", " + plural(errors, "error");
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
