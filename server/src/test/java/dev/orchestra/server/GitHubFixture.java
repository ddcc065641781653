package dev.orchestra.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.github.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the webhook tests share: a real server over an Orchestra home, a local HTTP server playing
 * GitHub's REST API ({@link FakeGitHub}), and a real git repository standing in for the clone URL
 * (with GitHub's {@code refs/pull/N/head}); payloads shaped like GitHub's documented examples,
 * signed here. Its main branch holds {@link #CHECK} and {@link #GREET}.
 *
 * <p>A JUnit 5 extension: a test class registers one ({@code @RegisterExtension final GitHubFixture
 * f = new GitHubFixture();}) and each test gets a started server on fresh directories, closed and
 * removed after it; a test annotated {@link AsApp} gets GitHub App mode.
 */
final class GitHubFixture implements BeforeEachCallback, AfterEachCallback {
  /** The test runs against a GitHub App's server (see {@link #asApp()}), not a token's. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface AsApp {}

  static final String SECRET = "hook-secret-current";
  static final String OLD_SECRET = "hook-secret-previous";
  static final String TOKEN = "ghp_testtoken123";

  static final String CHECK =
      "version: 1\n"
          + "name: check\n"
          + "on:\n"
          + "  pull_request: {branches: [main]}\n"
          + "workspace: {isolation: branch}\n"
          + "nodes:\n"
          + "  test:\n"
          + "    agent: command\n"
          + "    command: [sh, -c, 'test -f feature.txt && echo has-feature']\n";

  static final String GREET =
      "version: 1\n"
          + "name: greet\n"
          + "on:\n"
          + "  comment: {command: greet}\n"
          + "inputs:\n"
          + "  who: {required: true}\n"
          + "nodes:\n"
          + "  hello:\n"
          + "    agent: command\n"
          + "    prompt: hello {{ inputs.who }}\n"
          + "    command: [cat]\n";

  /** Runs for ten minutes when feature.txt says "slow", else ends at once. */
  static final String SLOW =
      "version: 1\n"
          + "name: slow\n"
          + "on:\n"
          + "  pull_request: {branches: [main]}\n"
          + "nodes:\n"
          + "  wait:\n"
          + "    agent: command\n"
          + "    command: [sh, -c, 'if grep -q slow feature.txt; then sleep 600; fi']\n";

  /** What {@link #beforeEach} sets up for each test: the directory holding home and origin. */
  private Path dirs;

  Path home;
  Path origin;
  FakeGitHub github;
  Git git;

  /** The head of main, the pull requests' base. */
  String base;

  /** The server; a new one after {@link #restart()}. */
  TestServer t;

  /** github.json's credentials: the token's name, or the App's id and key names. */
  private String credentials = "\"token\": \"gh-token\"";

  /** The credentials the server is started with. */
  private final Map<String, String> environment =
      new java.util.HashMap<>(
          Map.of(
              "ORCHESTRA_CREDENTIAL_GH_HOOK", SECRET,
              "ORCHESTRA_CREDENTIAL_GH_HOOK_OLD", OLD_SECRET,
              "ORCHESTRA_CREDENTIAL_GH_TOKEN", TOKEN));

  /**
   * Sets up the repository and github.json (policy: {@code {"clone_url": ORIGIN}}) on fresh
   * directories, then starts the server, as an App for a test annotated {@link AsApp}.
   */
  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dirs = Files.createTempDirectory("orchestra-github-");
    home = Files.createDirectory(dirs.resolve("home"));
    origin = Files.createDirectory(dirs.resolve("origin"));
    github = new FakeGitHub();
    github.permissions.put("alice", "write");
    github.permissions.put("reader", "read");
    git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call();
    Files.createDirectories(origin.resolve(".orchestra"));
    Files.writeString(origin.resolve(".orchestra/check.yaml"), CHECK);
    Files.writeString(origin.resolve(".orchestra/greet.yaml"), GREET);
    Files.writeString(origin.resolve("README"), "app\n");
    git.add().addFilepattern(".").call();
    base = commit("base").name();
    policy("");
    if (context.getRequiredTestMethod().isAnnotationPresent(AsApp.class)) {
      asApp();
    }
    start();
  }

  /** Closes the server, the fake GitHub and the repository, and removes the directories. */
  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      close();
    } finally {
      FileUtils.delete(dirs.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
    }
  }

  /** Writes github.json with octo/app's policy: the clone URL and {@code moreKeys} (JSON). */
  void policy(String moreKeys) {
    try {
      Files.writeString(
          home.resolve("github.json"),
          "{\"webhook_secrets\": [\"gh-hook\", \"gh-hook-old\"], "
              + credentials
              + ", \"api_url\": \""
              + github.url()
              + "\", \"ui_url\": \"https://orchestra.example.com/\","
              + " \"max_payload_bytes\": 65536,"
              + " \"repositories\": {\"octo/app\": {\"clone_url\": \""
              + origin.toUri()
              + "\""
              + (moreKeys.isEmpty() ? "" : ", " + moreKeys)
              + "}}}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * GitHub App mode (before {@link #start()}): github.json names an App id and a fresh key in place
   * of the token, and the App is installed on octo/app; the head shows check runs.
   */
  private void asApp() {
    credentials = "\"app_id\": \"gh-app-id\", \"app_private_key\": \"gh-app-key\"";
    environment.remove("ORCHESTRA_CREDENTIAL_GH_TOKEN");
    environment.put("ORCHESTRA_CREDENTIAL_GH_APP_ID", "123456");
    environment.put(
        "ORCHESTRA_CREDENTIAL_GH_APP_KEY",
        dev.orchestra.server.github.TestAppKeys.pkcs1Pem(
            dev.orchestra.server.github.TestAppKeys.generate()));
    github.installations.put("octo/app", 42L);
    policy("");
  }

  private void start() {
    t = TestServer.start(home, b -> b.environment(Map.copyOf(environment)));
  }

  /**
   * Closes the server (its running runs are cancelled for the next start) and starts a new one on
   * the same home, store and files.
   */
  void restart() {
    TestServer before = t;
    before.close();
    start();
    // The tokens exist already: the restarted server's fixture did not create them again.
    t.tokens.putAll(before.tokens);
  }

  RevCommit commit(String message) throws Exception {
    return git.commit()
        .setMessage(message)
        .setAuthor("t", "t@example.com")
        .setCommitter("t", "t@example.com")
        .call();
  }

  /** A commit on a branch off main holding feature.txt, published as refs/pull/N/head. */
  String pushHead(int number, String content) throws Exception {
    return pushHead(number, "main", "feature.txt", content);
  }

  /** A commit off {@code from} writing {@code file}, published as refs/pull/N/head. */
  String pushHead(int number, String from, String file, String content) throws Exception {
    git.checkout().setName(from).call();
    git.checkout()
        .setCreateBranch(true)
        .setForceRefUpdate(true)
        .setName("pr-" + number + "-" + UUID.randomUUID())
        .call();
    Path f = origin.resolve(file);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    git.add().addFilepattern(file).call();
    String sha = commit("feature " + content).name();
    publishHead(git, number, sha);
    git.checkout().setName("main").call();
    return sha;
  }

  /** Points GitHub's {@code refs/pull/N/head} of {@code git} at {@code sha}. */
  static void publishHead(Git git, int number, String sha) throws IOException {
    RefUpdate u = git.getRepository().updateRef("refs/pull/" + number + "/head");
    u.setNewObjectId(git.getRepository().resolve(sha));
    u.setForceUpdate(true);
    u.update();
  }

  /** A pull_request payload to main like GitHub's documented example, trimmed to what matters. */
  ObjectNode pullRequest(String action, int number, String sha, String sender, String headRepo) {
    return pullRequest(action, number, sha, sender, headRepo, "main");
  }

  /** A pull_request payload to base branch {@code baseRef}; GitHub's API answers it too. */
  ObjectNode pullRequest(
      String action, int number, String sha, String sender, String headRepo, String baseRef) {
    ObjectNode p = TestServer.JSON.createObjectNode();
    p.put("action", action);
    p.put("number", number);
    ObjectNode pr = p.putObject("pull_request");
    pr.put("number", number);
    pr.put("state", "open");
    pr.putObject("user").put("login", sender);
    ObjectNode head = pr.putObject("head");
    head.put("ref", "feature");
    head.put("sha", sha);
    head.putObject("repo").put("full_name", headRepo);
    ObjectNode b = pr.putObject("base");
    b.put("ref", baseRef);
    b.put("sha", base);
    b.putObject("repo").put("full_name", "octo/app");
    repository(p);
    p.putObject("sender").put("login", sender);
    github.pulls.put(number, pr.deepCopy());
    return p;
  }

  static void repository(ObjectNode p) {
    ObjectNode r = p.putObject("repository");
    r.put("full_name", "octo/app");
    r.put("clone_url", "https://github.com/octo/app.git");
    r.putObject("owner").put("login", "octo");
  }

  /** An issue_comment payload: {@code user} commented {@code body} on pull request N. */
  ObjectNode comment(int number, String user, String body) {
    ObjectNode p = TestServer.JSON.createObjectNode();
    p.put("action", "created");
    ObjectNode issue = p.putObject("issue");
    issue.put("number", number);
    issue
        .putObject("pull_request")
        .put("url", "https://api.github.com/repos/octo/app/pulls/" + number);
    ObjectNode c = p.putObject("comment");
    c.put("id", 1);
    c.put("body", body);
    c.putObject("user").put("login", user);
    repository(p);
    p.putObject("sender").put("login", user);
    return p;
  }

  /**
   * A check_run payload like GitHub's: {@code sender} pressed <i>Re-run</i> on {@code checkRun} (as
   * the fake holds it). GitHub lists the pull request of a head in the repository, none of a
   * fork's.
   */
  ObjectNode checkRunRerequested(JsonNode checkRun, String sender, Integer pullRequest) {
    ObjectNode p = TestServer.JSON.createObjectNode();
    p.put("action", "rerequested");
    ObjectNode run = p.putObject("check_run");
    run.put("id", checkRun.path("id").asLong());
    run.put("name", checkRun.path("name").asText());
    run.put("head_sha", checkRun.path("head_sha").asText());
    run.put("external_id", checkRun.path("external_id").asText(""));
    run.put("status", "completed");
    run.put("conclusion", checkRun.path("conclusion").asText());
    run.putObject("app").put("id", 123456);
    ObjectNode suite = run.putObject("check_suite");
    suite.put("id", 77);
    suite.put("head_sha", checkRun.path("head_sha").asText());
    ArrayNode inSuite = suite.putArray("pull_requests");
    ArrayNode inRun = run.putArray("pull_requests");
    if (pullRequest != null) {
      ObjectNode pr = inRun.addObject();
      pr.put("number", pullRequest);
      pr.putObject("head").put("sha", checkRun.path("head_sha").asText()).put("ref", "feature");
      pr.putObject("base").put("ref", "main");
      inSuite.add(pr.deepCopy());
    }
    repository(p);
    p.putObject("sender").put("login", sender);
    p.putObject("installation").put("id", 42);
    return p;
  }

  /** A check_suite payload like GitHub's: {@code sender} pressed <i>Re-run all checks</i>. */
  ObjectNode checkSuiteRerequested(String sha, int pullRequest, String sender) {
    ObjectNode p = TestServer.JSON.createObjectNode();
    p.put("action", "rerequested");
    ObjectNode suite = p.putObject("check_suite");
    suite.put("id", 78);
    suite.put("head_branch", "feature");
    suite.put("head_sha", sha);
    suite.put("status", "completed");
    suite.putObject("app").put("id", 123456);
    ObjectNode pr = suite.putArray("pull_requests").addObject();
    pr.put("number", pullRequest);
    pr.putObject("head").put("sha", sha).put("ref", "feature");
    pr.putObject("base").put("ref", "main");
    repository(p);
    p.putObject("sender").put("login", sender);
    p.putObject("installation").put("id", 42);
    return p;
  }

  /** Posts {@code payload} as delivery {@code id}, signed with {@code secret} (null: unsigned). */
  TestServer.Reply deliver(String event, JsonNode payload, String id, String secret) {
    return deliver(t, event, payload, id, secret);
  }

  /**
   * Posts {@code payload} to server {@code t} as delivery {@code id}, signed with {@code secret}.
   */
  static TestServer.Reply deliver(
      TestServer t, String event, JsonNode payload, String id, String secret) {
    byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(t.uri("/webhooks/github"))
            .header("Content-Type", "application/json")
            .header("X-GitHub-Event", event)
            .header("X-GitHub-Delivery", id)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (secret != null) {
      b.header(WebhookSignature.HEADER, WebhookSignature.sign(body, secret));
    }
    return t.send(b.build());
  }

  /** Delivers, signed, a {@link #pullRequest} event; the delivery's record once it is decided. */
  JsonNode pullRequestEvent(
      String id, String action, int number, String sha, String sender, String headRepo) {
    deliver("pull_request", pullRequest(action, number, sha, sender, headRepo), id, SECRET);
    return decided(id);
  }

  /** Delivers, signed, {@code user}'s comment {@code body} on #N; its record once decided. */
  JsonNode commentEvent(String id, int number, String user, String body) {
    deliver("issue_comment", comment(number, user, body), id, SECRET);
    return decided(id);
  }

  /** The delivery's record once it is decided. */
  JsonNode decided(String id) {
    return TestServer.await(
        "delivery " + id + " decided",
        () -> {
          for (JsonNode d : t.get("/api/v1/deliveries", Scope.READ).json().path("deliveries")) {
            if (d.path("id").asText().equals(id)
                && d.path("verified").asBoolean()
                && !d.path("decision").asText().equals("received")
                && !d.path("decision").asText().equals("replay")) {
              return d;
            }
          }
          return null;
        });
  }

  /** The run once it ended. */
  JsonNode finished(String runId) {
    return t.finishedRun(runId);
  }

  /** Waits until run {@code runId} is running. */
  void running(String runId) {
    TestServer.await(
        "run " + runId + " running",
        () -> run(runId).path("status").asText().equals("running") ? true : null);
  }

  JsonNode run(String runId) {
    return t.get("/api/v1/runs/" + runId, Scope.READ).json();
  }

  /** Waits until a commit status {@code state} was posted for {@code sha}. */
  void statusPosted(String sha, String state) {
    TestServer.await(
        "a " + state + " status on " + sha,
        () ->
            github.requests("POST", "/repos/octo/app/statuses/" + sha).stream()
                    .anyMatch(q -> q.body().path("state").asText().equals(state))
                ? true
                : null);
  }

  int runCount() {
    return t.get("/api/v1/runs", Scope.READ).json().path("runs").size();
  }

  /** The id of the run of {@code workflow} among those a delivery started. */
  String runOf(JsonNode delivery, String workflow) {
    for (JsonNode id : delivery.path("runs")) {
      if (run(id.asText()).path("workflow").asText().equals(workflow)) {
        return id.asText();
      }
    }
    throw new AssertionError("no run of " + workflow + " in " + delivery);
  }

  /** Adds {@code text} as {@code .orchestra/NAME.yaml} to main; the new base. */
  void addWorkflow(String name, String text) throws Exception {
    git.checkout().setName("main").call();
    Files.writeString(origin.resolve(".orchestra/" + name + ".yaml"), text);
    git.add().addFilepattern(".orchestra/" + name + ".yaml").call();
    base = commit(name + " workflow").name();
  }

  private void close() {
    try {
      if (t != null) {
        t.close();
      }
    } finally {
      github.close();
      git.close();
    }
  }
}
