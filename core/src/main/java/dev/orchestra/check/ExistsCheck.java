package dev.orchestra.check;

import dev.orchestra.OrchestraException;
import dev.orchestra.exec.Tail;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** {@code exists}: every glob matches at least one file or directory in the workspace. */
final class ExistsCheck implements Check {
  private final String name;
  private final List<String> globs;

  ExistsCheck(String name, List<String> globs) {
    if (globs.isEmpty()) {
      throw new IllegalArgumentException("an exists check needs at least one glob");
    }
    this.name = name;
    this.globs = List.copyOf(globs);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CheckResult run(CheckContext context) {
    var unmatched = new ArrayList<String>();
    var problems = new ArrayList<String>();
    for (String text : globs) {
      try {
        if (Glob.of(text).find(context.workspace(), 1).isEmpty()) {
          unmatched.add(text);
        }
      } catch (OrchestraException | UncheckedIOException e) {
        problems.add(e.getMessage());
      }
    }
    if (unmatched.isEmpty() && problems.isEmpty()) {
      return new CheckResult(name, true, "every glob matched: " + String.join(", ", globs));
    }
    var output = new StringBuilder();
    if (!unmatched.isEmpty()) {
      output
          .append("no file matches: ")
          .append(String.join(", ", unmatched))
          .append(" (in ")
          .append(context.workspace())
          .append(")");
    }
    for (String problem : problems) {
      output.append(output.length() == 0 ? "" : "\n").append(problem);
    }
    return new CheckResult(name, false, Tail.of(output.toString(), Tail.FEEDBACK_BYTES));
  }
}
