package dev.orchestra.check;

import dev.orchestra.OrchestraException;
import dev.orchestra.exec.Tail;
import dev.orchestra.trust.WorkspacePaths;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code exists}: every glob matches at least one file or directory in the workspace, not counting
 * paths that lead out of it through a symbolic link ({@link WorkspacePaths}).
 */
final class ExistsCheck implements Check {
  /** Matches looked at per glob: enough to pass past a few refused ones. */
  private static final int MAX_MATCHES = 100;

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
    WorkspacePaths files = context.files();
    for (String text : globs) {
      try {
        List<Path> found = Glob.of(text).find(context.workspace(), MAX_MATCHES);
        // A match counts only where the path rule accepts it: not through a link leading out.
        String refused = null;
        boolean inside = false;
        for (Path match : found) {
          if (files.contain(match) instanceof WorkspacePaths.Refused r) {
            refused = refused != null ? refused : match + " " + r.reason();
          } else {
            inside = true;
            break;
          }
        }
        if (!inside && refused != null) {
          problems.add("'" + text + "' matched only paths the workspace rule refuses: " + refused);
        } else if (!inside) {
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
