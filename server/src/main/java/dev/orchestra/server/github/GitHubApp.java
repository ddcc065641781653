package dev.orchestra.server.github;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.Credentials;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub App mode's {@link GitHubAuth}: each repository's calls carry an installation access token,
 * got with the App's JWT ({@link AppKey}) by {@code GET /repos/{owner}/{repo}/installation} (the
 * installation's id, kept until a token request with it fails) and {@code POST
 * /app/installations/{id}/access_tokens} (a token scoped to that repository, kept until {@link
 * #REFRESH_BEFORE} before its {@code expires_at}).
 *
 * <p>Thread-safe. A refresh holds that repository's lock, so concurrent callers wait for the one
 * new token instead of each asking GitHub for its own. The App's key is read from the credential
 * store at each refresh, so a rotated key needs no restart. Neither key, JWT nor token is logged.
 */
public final class GitHubApp implements GitHubAuth {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubApp.class);

  /** How long before its expiry a token is replaced, so no call carries one that just expired. */
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

  private final GitHubApi asApp;
  private final Clock clock;
  private final Map<String, Long> installations = new ConcurrentHashMap<>();
  private final Map<String, Cached> tokens = new ConcurrentHashMap<>();

  /** A token and the lock its refresh holds. */
  private static final class Cached {
    GitHubApi.AccessToken token;
  }

  /**
   * An App whose calls to {@code apiUrl} as the App carry a JWT of {@code key} (asked at each
   * refresh).
   */
  public GitHubApp(URI apiUrl, Supplier<AppKey> key, Clock clock) {
    this.clock = clock;
    this.asApp = new GitHubApi(apiUrl, repo -> Optional.of(key.get().jwt(clock.instant())), clock);
  }

  /** The App of {@code config}, its id and key read from {@code credentials}. */
  public static GitHubApp from(GitHubConfig config, Credentials credentials, Clock clock) {
    GitHubConfig.App app = config.app();
    return new GitHubApp(
        config.apiUrl(),
        () ->
            AppKey.of(
                required(credentials, app.idCredential()),
                required(credentials, app.keyCredential()),
                app.keyCredential()),
        clock);
  }

  private static String required(Credentials credentials, String name) {
    return credentials
        .find(name)
        .orElseThrow(
            () ->
                new OrchestraException(
                    "no credential '"
                        + name
                        + "' for the GitHub App in "
                        + GitHubConfig.FILE
                        + ": orchestra credentials add "
                        + name
                        + " (see docs/github.md)"));
  }

  @Override
  public Optional<String> token(String repository) {
    String repo = repository.toLowerCase(Locale.ROOT);
    Cached c = tokens.computeIfAbsent(repo, r -> new Cached());
    synchronized (c) {
      if (c.token == null || !clock.instant().isBefore(c.token.expiresAt().minus(REFRESH_BEFORE))) {
        long id = installations.computeIfAbsent(repo, asApp::installation);
        try {
          c.token = asApp.accessToken(repository, id);
        } catch (OrchestraException e) {
          // The App may have been installed again, under a new id: the next call asks for it.
          installations.remove(repo, id);
          throw e;
        }
        LOG.info(
            "GitHub App: a token of installation {} for {}, until {}",
            id,
            repository,
            c.token.expiresAt());
      }
      return Optional.of(c.token.value());
    }
  }
}
