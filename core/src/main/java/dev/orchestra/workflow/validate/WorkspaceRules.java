package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.WorkspaceSpec;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code workspace} block: credentials only travel over https, the author is {@code Name
 * <email>}.
 */
final class WorkspaceRules {
  private static final Pattern AUTHOR = Pattern.compile("[^<>]+ <[^<>]+>");

  private WorkspaceRules() {}

  static void check(Scope scope) {
    WorkspaceSpec ws = scope.workflow().workspace();
    if (ws == null) {
      return;
    }
    if (ws.credentials() != null) {
      String repo = ws.repo();
      if (repo == null || !repo.toLowerCase(Locale.ROOT).startsWith("https://")) {
        scope.atValue(
            "/workspace/credentials",
            "workspace credentials '"
                + ws.credentials()
                + "' are sent only over https, but repo "
                + (repo == null ? "is not set" : "'" + repo + "' is not an https URL")
                + "; use an https URL or drop 'credentials'");
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
