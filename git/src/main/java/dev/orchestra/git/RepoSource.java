package dev.orchestra.git;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.Credentials;
import dev.orchestra.workflow.WorkspaceSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
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
   * Whether the URL is reached over ssh ({@code ssh://}, {@code git+ssh://} or {@code
   * user@host:path}).
   */
  boolean isSsh() {
    if (url == null) {
      return false;
    }
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("ssh://")
        || lower.startsWith("git+ssh://")
        || lower.startsWith("ssh+git://")
        || (!lower.contains("://") && SCP_LIKE.matcher(url).matches());
  }

  /**
   * How to reach the repository with {@code spec.credentials}: a token over https, a private key
   * over ssh (host keys checked against {@code knownHosts}), or nothing.
   *
   * @throws OrchestraException when the credential is missing, unreadable, or the URL is neither
   *     https nor ssh (a secret must not travel in the clear)
   */
  RemoteAccess access(WorkspaceSpec spec, Credentials store, Path knownHosts) {
    String name = spec.credentials();
    if (isSsh()) {
      return RemoteAccess.ssh(name, name == null ? null : store.resolve(name), knownHosts);
    }
    if (name == null) {
      return RemoteAccess.NONE;
    }
    if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("https://")) {
      throw new OrchestraException(
          "workspace credentials '"
              + name
              + "' are sent only over https or ssh, but repo '"
              + repo
              + "' is neither; use an https or ssh URL or drop 'credentials'");
    }
    String value = store.resolve(name);
    int colon = value.indexOf(':');
    return RemoteAccess.https(
        colon > 0
            ? new UsernamePasswordCredentialsProvider(
                value.substring(0, colon), value.substring(colon + 1))
            : new UsernamePasswordCredentialsProvider(TOKEN_USER, value));
  }
}
