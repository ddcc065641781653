package dev.orchestra.cli.run;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The commands that decide a waiting node, as the views show them, exactly as they are to be typed
 * in another terminal: {@code orchestra approve RUN NODE} and {@code orchestra reject RUN NODE
 * --comment WHY}, with {@code --runs-dir DIR} when the run's records are not in the default place.
 * Immutable.
 */
public final class DecisionHint {
  /** The hint for runs recorded in the default place ({@code ./.orchestra/runs}). */
  public static final DecisionHint DEFAULT = new DecisionHint(null);

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

  private final String runsDir;

  private DecisionHint(String runsDir) {
    this.runsDir = runsDir;
  }

  /**
   * The hint for runs recorded in {@code runsDir}, as given by {@code --runs-dir} or {@code
   * ORCHESTRA_RUNS}; {@code null} for the default place.
   */
  public static DecisionHint of(Path runsDir) {
    return runsDir == null ? DEFAULT : new DecisionHint(quote(runsDir.toString()));
  }

  /** {@code orchestra approve RUN NODE [--runs-dir DIR]}. */
  public String approve(String runId, String node) {
    return command("approve", runId, node, "");
  }

  /** {@code orchestra reject RUN NODE --comment WHY [--runs-dir DIR]}. */
  public String reject(String runId, String node) {
    return command("reject", runId, node, " --comment WHY");
  }

  /** Who may decide, for a line: {@code anyone} or the names, comma-separated. */
  public static String approvers(List<String> approvers) {
    return approvers.isEmpty() ? "anyone" : String.join(", ", approvers);
  }

  private String command(String verb, String runId, String node, String options) {
    return "orchestra "
        + verb
        + " "
        + runId
        + " "
        + quote(node)
        + options
        + (runsDir == null ? "" : " --runs-dir " + runsDir);
  }

  /** {@code word} as a shell reads it back: as is when plain, else in single quotes. */
  private static String quote(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
