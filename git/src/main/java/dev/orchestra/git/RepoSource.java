package dev.orchestra.git;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.Credentials;
import dev.orchestra.workflow.WorkspaceSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Where a run's repository comes from: a local directory (its repository is used in place; the
 * run's branches are created in it) or a git URL (cloned once per run).
 *
 * @param repo the {@code workspace.repo} as written ({@code .} when absent)
 * @param url the URL to clone, or {@code null} for a local directory
 * @param directory the local directory, or {@code null} for a URL
 */
record RepoSource(String repo, String url, Path directory) {
  private static final Pattern SCP_LIKE = Pattern.compile("[^/@:]+@[^/:]+:.*");

  /** The username sent with a token that names none; GitHub and Gitea accept it with any token. */
  static final String TOKEN_USER = "x-access-token";

  static RepoSource of(WorkspaceSpec spec, Path base) {
    String repo = spec.repo() == null || spec.repo().isBlank() ? "." : spec.repo();
    if (isUrl(repo)) {
      String lower = repo.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("https://")
          && !lower.startsWith("http://")
          && !lower.startsWith("file://")
          && !lower.startsWith("git://")) {
        // JGit's ssh transports are separate artifacts with their own dependencies (Apache MINA
        // sshd); this build ships without them.
        throw new OrchestraException(
            "workspace repo '"
                + repo
                + "' is an ssh URL, which this build cannot clone; use the https URL with"
                + " workspace 'credentials' naming a stored token");
      }
      return new RepoSource(repo, repo, null);
    }
    return new RepoSource(repo, null, base.resolve(repo).toAbsolutePath().normalize());
  }

  static boolean isUrl(String repo) {
    return repo.contains("://") || SCP_LIKE.matcher(repo).matches();
  }

  boolean isRemote() {
    return url != null;
  }

  /**
   * The credentials to send for {@code spec.credentials}, or {@code null} when none are named.
   *
   * @throws OrchestraException when the credential is missing or the URL is not https (a token must
   *     not travel in the clear)
   */
  CredentialsProvider credentials(WorkspaceSpec spec, Credentials store) {
    String name = spec.credentials();
    if (name == null) {
      return null;
    }
    if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("https://")) {
      throw new OrchestraException(
          "workspace credentials '"
              + name
              + "' are sent only over https, but repo '"
              + repo
              + "' is not an https URL; use an https URL or drop 'credentials'");
    }
    String value = store.resolve(name);
    int colon = value.indexOf(':');
    return colon > 0
        ? new UsernamePasswordCredentialsProvider(
            value.substring(0, colon), value.substring(colon + 1))
        : new UsernamePasswordCredentialsProvider(TOKEN_USER, value);
  }
}
