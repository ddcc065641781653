package dev.orchestra.server.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server's GitHub settings, read from {@code HOME/github.json} (docs/github.md): the names of
 * the credentials holding the webhook secrets and either the API token or a GitHub App's id and key
 * (never the values), the API and UI addresses, the payload limit, and each repository's trust
 * policy. Without the file, webhooks are off. Immutable.
 *
 * @param webhookSecrets credential names; a delivery signed with any of them is taken (rotation)
 * @param token the credential name of the API token (commit statuses, comments, permissions); null
 *     in GitHub App mode
 * @param app the GitHub App the server authenticates as (check runs), or null for token mode
 * @param apiUrl the REST API's root, {@code https://api.github.com/} by default
 * @param uiUrl the server's address as GitHub users reach it, for links to runs (may be null)
 * @param maxPayloadBytes the largest payload taken; larger ones get 413
 * @param repositories {@code owner/name} (lower case) → policy; other repositories are ignored
 */
public record GitHubConfig(
    List<String> webhookSecrets,
    String token,
    App app,
    URI apiUrl,
    URI uiUrl,
    long maxPayloadBytes,
    Map<String, RepoPolicy> repositories) {
  /** The file's name in the Orchestra home. */
  public static final String FILE = "github.json";

  static final long DEFAULT_MAX_PAYLOAD = 1024 * 1024;
  private static final Set<String> KEYS =
      Set.of(
          "webhook_secrets",
          "token",
          "app_id",
          "app_private_key",
          "api_url",
          "ui_url",
          "max_payload_bytes",
          "repositories");
  private static final Set<String> REPO_KEYS =
      Set.of("clone_url", "run_without_approval", "approve", "forks", "cancel_superseded");

  public GitHubConfig {
    webhookSecrets = List.copyOf(webhookSecrets);
    repositories = Map.copyOf(repositories);
  }

  /**
   * A GitHub App's credentials, by name in the credential store: results are check runs and calls
   * carry the installation's token ({@link GitHubApp}).
   *
   * @param idCredential the credential holding the App's id (or client id)
   * @param keyCredential the credential holding the App's private key, the PEM GitHub generated
   */
  public record App(String idCredential, String keyCredential) {}

  /** Whether the server authenticates as a GitHub App (check runs) rather than with a token. */
  public boolean appMode() {
    return app != null;
  }

  /** The policy of {@code fullName} ({@code owner/name}), if the repository is configured. */
  public Optional<RepoPolicy> policy(String fullName) {
    return Optional.ofNullable(repositories.get(fullName.toLowerCase(Locale.ROOT)));
  }

  /**
   * Whether the mirror's fetch from {@code cloneUrl} may carry the API's token: only to GitHub
   * itself, the host of {@link #apiUrl} or, for {@code api.HOST}, {@code HOST} ({@code
   * api.github.com} → {@code github.com}); a {@code clone_url} elsewhere is fetched without it.
   */
  public boolean tokenGoesTo(String cloneUrl) {
    URI clone;
    try {
      clone = URI.create(cloneUrl);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String host = clone.getHost();
    String api = apiUrl.getHost();
    if (host == null || api == null || clone.getUserInfo() != null) {
      return false;
    }
    return host.equalsIgnoreCase(api) || ("api." + host).equalsIgnoreCase(api);
  }

  /**
   * One repository's policy.
   *
   * @param cloneUrl where its clone comes from; null for the payload's {@code clone_url}
   * @param runWithoutApproval the least permission whose pull requests and commands run at once
   *     (others wait for an approval)
   * @param approve the least permission that may approve a waiting run
   * @param forks {@code approve} (a fork's pull request waits for an approval, whoever opened it)
   *     or {@code ignore} (never runs)
   * @param cancelSuperseded whether a new push cancels the runs of the pull request's older head
   */
  public record RepoPolicy(
      String cloneUrl,
      Permission runWithoutApproval,
      Permission approve,
      ForkPolicy forks,
      boolean cancelSuperseded) {
    /** The defaults: write permission runs and approves, forks wait, superseded runs end. */
    public static RepoPolicy defaults() {
      return new RepoPolicy(null, Permission.WRITE, Permission.WRITE, ForkPolicy.APPROVE, true);
    }
  }

  /** What a fork's pull request gets. */
  public enum ForkPolicy {
    APPROVE,
    IGNORE
  }

  /**
   * A collaborator's permission as {@code GET /repos/{o}/{r}/collaborators/{user}/permission}
   * answers it, in increasing order.
   */
  public enum Permission {
    NONE,
    READ,
    TRIAGE,
    WRITE,
    MAINTAIN,
    ADMIN;

    /** GitHub's name: {@code none}, {@code read}, {@code write}, {@code admin} (or a role name). */
    public static Permission of(String wire) {
      if (wire == null) {
        return NONE;
      }
      return switch (wire.toLowerCase(Locale.ROOT)) {
        case "admin" -> ADMIN;
        case "maintain" -> MAINTAIN;
        case "write", "push" -> WRITE;
        case "triage" -> TRIAGE;
        case "read", "pull" -> READ;
        default -> NONE;
      };
    }

    public boolean atLeast(Permission other) {
      return compareTo(other) >= 0;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Reads {@code HOME/github.json}.
   *
   * @return empty when there is no such file (webhooks off)
   * @throws OrchestraException naming the file and the key when it is not a valid config
   */
  public static Optional<GitHubConfig> load(Path home) {
    Path file = home.resolve(FILE);
    JsonNode root;
    try {
      root = new JsonMapper().readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OrchestraException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    return Optional.of(parse(root, file.toString()));
  }

  static GitHubConfig parse(JsonNode root, String file) {
    if (root == null || !root.isObject()) {
      throw bad(file, "", "the file must hold one JSON object");
    }
    unknownKeys(root, KEYS, file, "");
    List<String> secrets = new ArrayList<>();
    JsonNode s = root.path("webhook_secrets");
    if (!s.isArray() || s.isEmpty()) {
      throw bad(
          file,
          "webhook_secrets",
          "needs a list of credential names, e.g. [\"github-webhook\"]; add the secret with"
              + " orchestra credentials add github-webhook");
    }
    s.forEach(n -> secrets.add(text(n, file, "webhook_secrets")));
    String token = root.has("token") ? text(root.get("token"), file, "token") : null;
    App app = app(root, file);
    if (app != null && token != null) {
      throw bad(
          file,
          "token",
          "and app_id/app_private_key exclude each other: remove 'token' to authenticate as the"
              + " GitHub App (check runs), or the app keys to use the token (commit statuses)");
    }
    URI api = uri(root, "api_url", file, "https://api.github.com/");
    URI ui = root.has("ui_url") ? uri(root, "ui_url", file, null) : null;
    long max = DEFAULT_MAX_PAYLOAD;
    if (root.has("max_payload_bytes")) {
      JsonNode m = root.get("max_payload_bytes");
      if (!m.canConvertToLong() || m.asLong() < 1024) {
        throw bad(file, "max_payload_bytes", "must be a number of bytes, at least 1024");
      }
      max = m.asLong();
    }
    Map<String, RepoPolicy> repos = new LinkedHashMap<>();
    JsonNode r = root.path("repositories");
    if (!r.isMissingNode() && !r.isObject()) {
      throw bad(file, "repositories", "must map owner/name to a policy object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = "repositories." + e.getKey();
      if (!e.getKey().matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
        throw bad(file, where, "a repository is named owner/name");
      }
      repos.put(e.getKey().toLowerCase(Locale.ROOT), policy(e.getValue(), file, where));
    }
    return new GitHubConfig(secrets, token, app, api, ui, max, repos);
  }

  private static App app(JsonNode root, String file) {
    boolean id = root.has("app_id");
    boolean key = root.has("app_private_key");
    if (id != key) {
      throw bad(
          file,
          id ? "app_private_key" : "app_id",
          "is missing: a GitHub App needs both app_id and app_private_key, the names of the"
              + " credentials holding its id and its private key");
    }
    return id
        ? new App(
            text(root.get("app_id"), file, "app_id"),
            text(root.get("app_private_key"), file, "app_private_key"))
        : null;
  }

  private static RepoPolicy policy(JsonNode p, String file, String where) {
    if (!p.isObject()) {
      throw bad(file, where, "must be an object, e.g. {\"forks\": \"approve\"}");
    }
    unknownKeys(p, REPO_KEYS, file, where + ".");
    RepoPolicy d = RepoPolicy.defaults();
    String clone = p.has("clone_url") ? text(p.get("clone_url"), file, where + ".clone_url") : null;
    Permission run = permission(p, "run_without_approval", d.runWithoutApproval(), file, where);
    Permission approve = permission(p, "approve", d.approve(), file, where);
    ForkPolicy forks = d.forks();
    if (p.has("forks")) {
      String f = text(p.get("forks"), file, where + ".forks");
      forks =
          switch (f) {
            case "approve" -> ForkPolicy.APPROVE;
            case "ignore" -> ForkPolicy.IGNORE;
            default -> throw bad(file, where + ".forks", "is approve or ignore, was \"" + f + "\"");
          };
    }
    boolean cancel = d.cancelSuperseded();
    if (p.has("cancel_superseded")) {
      if (!p.get("cancel_superseded").isBoolean()) {
        throw bad(file, where + ".cancel_superseded", "is true or false");
      }
      cancel = p.get("cancel_superseded").asBoolean();
    }
    if (approve.compareTo(Permission.WRITE) < 0) {
      throw bad(
          file,
          where + ".approve",
          "must be write, maintain or admin: an approval lets a run use the repository's"
              + " credentials");
    }
    return new RepoPolicy(clone, run, approve, forks, cancel);
  }

  private static Permission permission(
      JsonNode p, String key, Permission dflt, String file, String where) {
    if (!p.has(key)) {
      return dflt;
    }
    String v = text(p.get(key), file, where + "." + key);
    Permission perm = Permission.of(v);
    if (perm == Permission.NONE && !v.equals("none")) {
      throw bad(
          file,
          where + "." + key,
          "is one of none, read, triage, write, maintain, admin; was \"" + v + "\"");
    }
    return perm;
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String file, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw bad(
            file, prefix + k, "is not a key here; the keys are " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static String text(JsonNode n, String file, String key) {
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw bad(file, key, "must be a non-empty string");
    }
    return n.asText();
  }

  private static URI uri(JsonNode root, String key, String file, String dflt) {
    String v = root.has(key) ? text(root.get(key), file, key) : dflt;
    try {
      URI u = URI.create(v.endsWith("/") ? v : v + "/");
      if (u.getScheme() == null || !u.getScheme().startsWith("http")) {
        throw bad(file, key, "must be an http(s) URL, was \"" + v + "\"");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw bad(file, key, "is not a URL: " + e.getMessage());
    }
  }

  private static OrchestraException bad(String file, String key, String message) {
    return new OrchestraException(
        file + (key.isEmpty() ? "" : ": '" + key + "'") + " " + message + " (see docs/github.md)");
  }
}
