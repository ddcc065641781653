package dev.orchestra.server.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import dev.orchestra.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitHub REST API calls triggers need, over the JDK's HTTP client with the token from the
 * credential store (sent only to {@link GitHubConfig#apiUrl}, never logged). Honours rate limits: a
 * {@code Retry-After} answer (403 or 429) is retried after that many seconds, and an answer with
 * {@code X-RateLimit-Remaining: 0} holds every later call until {@code X-RateLimit-Reset}; waits
 * are capped at {@link #MAX_WAIT}. Thread-safe.
 */
public final class GitHubApi {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubApi.class);
  static final Duration MAX_WAIT = Duration.ofMinutes(2);
  private static final int ATTEMPTS = 3;

  private final URI root;
  private final GitHubAuth auth;
  private final Clock clock;
  private final Sleeper sleeper;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(20))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private volatile Instant holdUntil = Instant.EPOCH;

  public GitHubApi(URI root, GitHubAuth auth, Clock clock) {
    this(root, auth, clock, d -> Thread.sleep(d.toMillis()));
  }

  /** How a call waits out a rate limit: the thread sleeps; a test moves its clock instead. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  GitHubApi(URI root, GitHubAuth auth, Clock clock, Sleeper sleeper) {
    this.root = root;
    this.auth = auth;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** The permission of {@code user} on {@code repo}; {@code NONE} for a non-collaborator. */
  public GitHubConfig.Permission permission(String repo, String user) {
    Answer a =
        call(repo, "GET", "repos/" + repo + "/collaborators/" + enc(user) + "/permission", null);
    if (a.status() == 404) {
      return GitHubConfig.Permission.NONE;
    }
    JsonNode body = a.require("the permission of " + user + " on " + repo);
    // role_name tells maintain and triage apart; permission folds them into write and read.
    GitHubConfig.Permission role = GitHubConfig.Permission.of(body.path("role_name").asText(null));
    GitHubConfig.Permission perm = GitHubConfig.Permission.of(body.path("permission").asText(null));
    return role.atLeast(perm) ? role : perm;
  }

  /** Pull request {@code number} of {@code repo}. */
  public JsonNode pull(String repo, int number) {
    return call(repo, "GET", "repos/" + repo + "/pulls/" + number, null)
        .require("pull request #" + number + " of " + repo);
  }

  /** Sets the commit status {@code context} of {@code sha}. */
  public void status(
      String repo, String sha, String state, String context, String description, URI target) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("state", state);
    body.put("context", context);
    body.put(
        "description",
        description.length() > 140 ? description.substring(0, 139) + "…" : description);
    if (target != null) {
      body.put("target_url", target.toString());
    }
    call(repo, "POST", "repos/" + repo + "/statuses/" + sha, body)
        .require("a commit status on " + sha);
  }

  /**
   * Creates a check run on {@code repo} ({@code name}, {@code head_sha} and the rest in {@code
   * body}); needs a GitHub App's installation token.
   *
   * @return the check run's id
   */
  public long createCheckRun(String repo, ObjectNode body) {
    return call(repo, "POST", "repos/" + repo + "/check-runs", body)
        .require("a check run " + body.path("name").asText() + " on " + repo)
        .path("id")
        .asLong();
  }

  /**
   * Updates check run {@code id} of {@code repo} with the fields of {@code body}.
   *
   * @return false when GitHub knows no such check run (404)
   */
  public boolean updateCheckRun(String repo, long id, ObjectNode body) {
    Answer a = call(repo, "PATCH", "repos/" + repo + "/check-runs/" + id, body);
    if (a.status() == 404) {
      return false;
    }
    a.require("check run " + id);
    return true;
  }

  /**
   * Creates the comment of pull request {@code number} that holds {@code marker}, or edits it when
   * there is one (so there is one per pull request, not one per push).
   *
   * @return the comment's id
   */
  public long upsertComment(String repo, int number, String marker, String text) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("body", text);
    for (int page = 1; page <= 30; page++) {
      JsonNode list =
          call(
                  repo,
                  "GET",
                  "repos/" + repo + "/issues/" + number + "/comments?per_page=100&page=" + page,
                  null)
              .require("the comments of #" + number);
      for (JsonNode c : list) {
        if (c.path("body").asText("").contains(marker)) {
          long id = c.path("id").asLong();
          call(repo, "PATCH", "repos/" + repo + "/issues/comments/" + id, body)
              .require("comment " + id);
          return id;
        }
      }
      if (list.size() < 100) {
        break;
      }
    }
    return call(repo, "POST", "repos/" + repo + "/issues/" + number + "/comments", body)
        .require("a comment on #" + number)
        .path("id")
        .asLong();
  }

  /**
   * The id of the GitHub App's installation on {@code repo}; this call carries the App's JWT, not
   * an installation's token.
   */
  public long installation(String repo) {
    Answer a = call(repo, "GET", "repos/" + repo + "/installation", null);
    if (a.status() == 404) {
      throw new OrchestraException(
          "the GitHub App is not installed on "
              + repo
              + " (or its id does not match its key): install it from the App's settings page,"
              + " Install App");
    }
    return a.require("the App's installation on " + repo).path("id").asLong();
  }

  /**
   * A new token of {@code installation} that reaches {@code repo} only (least privilege: an
   * installation on many repositories gives each its own); carries the App's JWT.
   */
  public AccessToken accessToken(String repo, long installation) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putArray("repositories").add(repo.substring(repo.indexOf('/') + 1));
    JsonNode t =
        call(repo, "POST", "app/installations/" + installation + "/access_tokens", body)
            .require("a token of installation " + installation);
    String token = t.path("token").asText("");
    if (token.isEmpty()) {
      throw new OrchestraException(
          "GitHub answered the token request of installation " + installation + " with no token");
    }
    Instant expires;
    try {
      expires = Instant.parse(t.path("expires_at").asText(""));
    } catch (java.time.format.DateTimeParseException e) {
      // GitHub's tokens live an hour; without a date, assume the least it promises.
      expires = clock.instant().plus(Duration.ofMinutes(10));
    }
    return new AccessToken(token, expires);
  }

  /**
   * An installation access token and when GitHub stops taking it.
   *
   * @param value the secret; never logged ({@link #toString} leaves it out)
   */
  public record AccessToken(String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "AccessToken[expires " + expiresAt + "]";
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Answer call(String repo, String method, String path, JsonNode body) {
    String secret =
        auth.token(repo)
            .orElseThrow(
                () ->
                    new OrchestraException(
                        "no GitHub API token: set 'token' in github.json to a credential name and"
                            + " add it with orchestra credentials add NAME"));
    URI uri = root.resolve(path);
    for (int attempt = 1; ; attempt++) {
      waitFor(holdUntil);
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .header("Accept", "application/vnd.github+json")
              .header("X-GitHub-Api-Version", "2022-11-28")
              .header("User-Agent", "orchestra")
              .header("Authorization", "Bearer " + secret);
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new OrchestraException(method + " " + uri + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OrchestraException(method + " " + uri + " interrupted", e);
      }
      Optional<Instant> retry = retryAt(r);
      if (r.headers().firstValue("X-RateLimit-Remaining").map("0"::equals).orElse(false)) {
        r.headers()
            .firstValue("X-RateLimit-Reset")
            .flatMap(GitHubApi::epochSeconds)
            .ifPresent(reset -> holdUntil = reset);
      }
      boolean limited =
          (r.statusCode() == 429 || r.statusCode() == 403)
              && (retry.isPresent() || holdUntil.isAfter(clock.instant()));
      if (limited && attempt < ATTEMPTS) {
        Instant until = retry.orElse(holdUntil);
        LOG.warn("GitHub rate limit on {} {}; waiting until {}", method, path, until);
        if (until.isAfter(holdUntil)) {
          holdUntil = until;
        }
        continue;
      }
      return new Answer(method + " " + path, r.statusCode(), r.body());
    }
  }

  private Optional<Instant> retryAt(HttpResponse<?> r) {
    return r.headers()
        .firstValue("Retry-After")
        .flatMap(
            v -> {
              try {
                return Optional.of(clock.instant().plusSeconds(Long.parseLong(v.strip())));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  private static Optional<Instant> epochSeconds(String v) {
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(v.strip())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void waitFor(Instant until) {
    Duration d = Duration.between(clock.instant(), until);
    if (d.isNegative() || d.isZero()) {
      return;
    }
    if (d.compareTo(MAX_WAIT) > 0) {
      d = MAX_WAIT;
    }
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestraException("interrupted while waiting for GitHub's rate limit", e);
    }
  }

  private record Answer(String what, int status, String body) {
    JsonNode require(String thing) {
      if (status / 100 != 2) {
        throw new OrchestraException(
            "GitHub answered HTTP "
                + status
                + " to "
                + what
                + " ("
                + thing
                + "): "
                + (body.length() > 300 ? body.substring(0, 300) : body));
      }
      try {
        return body.isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new OrchestraException("GitHub answered " + what + " with no JSON: " + e, e);
      }
    }
  }
}
