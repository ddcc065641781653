package dev.orchestra.server.github;

import dev.orchestra.secret.Credentials;
import java.time.Clock;
import java.util.Optional;

/**
 * The secret a call to GitHub about one repository carries: the stored API token, or in GitHub App
 * mode that repository's installation token ({@link GitHubApp}). The same secret fetches a private
 * repository's mirror. Implementations are thread-safe and never log the secret.
 */
@FunctionalInterface
public interface GitHubAuth {
  /** The secret for {@code repository} ({@code owner/name}), or empty when none is configured. */
  Optional<String> token(String repository);

  /** The App of {@code config} in App mode, else its {@code token} credential (read per call). */
  static GitHubAuth of(GitHubConfig config, Credentials credentials, Clock clock) {
    if (config.appMode()) {
      return GitHubApp.from(config, credentials, clock);
    }
    return repo -> config.token() == null ? Optional.empty() : credentials.find(config.token());
  }
}
