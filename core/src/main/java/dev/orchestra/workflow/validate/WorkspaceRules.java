package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.WorkspaceSpec;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code workspace} block: credentials (a token or an ssh key) only travel over https or ssh,
 * the author is {@code Name <email>}.
 */
final class WorkspaceRules {
  private static final Pattern AUTHOR = Pattern.compile("[^<>]+ <[^<>]+>");

  private static final Pattern SCP_LIKE = Pattern.compile("[^/@:]+@[^/:]+:.*");

  private WorkspaceRules() {}

  /** {@code ssh://}, {@code git+ssh://}, {@code ssh+git://} or scp-like {@code user@host:path}. */
  private static boolean isSsh(String repo) {
    String lower = repo.toLowerCase(Locale.ROOT);
    return lower.startsWith("ssh://")
        || lower.startsWith("git+ssh://")
        || lower.startsWith("ssh+git://")
        || (!lower.contains("://") && SCP_LIKE.matcher(repo).matches());
  }

  static void check(ValidationScope scope) {
    WorkspaceSpec ws = scope.workflow().workspace();
    if (ws == null) {
      return;
    }
    if (ws.credentials() != null) {
      String repo = ws.repo();
      if (repo == null || !(repo.toLowerCase(Locale.ROOT).startsWith("https://") || isSsh(repo))) {
        scope.atValue(
            "/workspace/credentials",
            "workspace credentials '"
                + ws.credentials()
                + "' are sent only over https or ssh, but repo "
                + (repo == null
                    ? "is not set"
                    : "'" + repo + "' is neither an https nor an ssh URL")
                + "; use an https or ssh URL or drop 'credentials'");
      }
    }
    if (ws.author() != null && !AUTHOR.matcher(ws.author()).matches()) {
      scope.atValue(
          "/workspace/author",
          "workspace author '"
              + ws.author()
              + "' is not of the form 'Name <email>', e.g. 'Orchestra <orchestra@example.com>'");
    }
  }
}
