package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.github.PullRequestTriggers;
import dev.orchestra.server.github.WebhookSignature;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end: a real server, a local HTTP server playing GitHub's REST API, and a real git
 * repository standing in for the clone URL (with GitHub's {@code refs/pull/N/head}); payloads
 * shaped like GitHub's documented examples, signed here.
 */
class GitHubWebhookTest {
  static final String SECRET = "hook-secret-current";
  static final String OLD_SECRET = "hook-secret-previous";
  static final String TOKEN = "ghp_testtoken123";

  @TempDir Path home;
  @TempDir Path origin;
  FakeGitHub github;
  TestServer t;
  Git git;
  String base;

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

  @BeforeEach
  void setUp() throws Exception {
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
    Files.writeString(
        origin.resolve("github.json"),
        "{\"webhook_secrets\": [\"gh-hook\", \"gh-hook-old\"], \"token\": \"gh-token\","
            + " \"api_url\": \""
            + github.url()
            + "\", \"ui_url\": \"https://orchestra.example.com/\","
            + " \"max_payload_bytes\": 65536,"
            + " \"repositories\": {\"octo/app\": {\"clone_url\": \""
            + origin.toUri()
            + "\"}}}");
    Files.move(origin.resolve("github.json"), home.resolve("github.json"));
    t = start();
  }

  private TestServer start() {
    return TestServer.start(
        home,
        b ->
            b.environment(
                Map.of(
                    "ORCHESTRA_CREDENTIAL_GH_HOOK", SECRET,
                    "ORCHESTRA_CREDENTIAL_GH_HOOK_OLD", OLD_SECRET,
                    "ORCHESTRA_CREDENTIAL_GH_TOKEN", TOKEN)));
  }

  @AfterEach
  void tearDown() {
    t.close();
    github.close();
    git.close();
  }

  private RevCommit commit(String message) throws Exception {
    return git.commit()
        .setMessage(message)
        .setAuthor("t", "t@example.com")
        .setCommitter("t", "t@example.com")
        .call();
  }

  /** A commit on a branch off main holding feature.txt, published as refs/pull/N/head. */
  private String pushHead(int number, String content) throws Exception {
    git.checkout().setName("main").call();
    git.checkout()
        .setCreateBranch(true)
        .setForceRefUpdate(true)
        .setName("pr-" + number + "-" + UUID.randomUUID())
        .call();
    Files.writeString(origin.resolve("feature.txt"), content);
    git.add().addFilepattern("feature.txt").call();
    String sha = commit("feature " + content).name();
    RefUpdate u = git.getRepository().updateRef("refs/pull/" + number + "/head");
    u.setNewObjectId(git.getRepository().resolve(sha));
    u.setForceUpdate(true);
    u.update();
    git.checkout().setName("main").call();
    return sha;
  }

  /** A pull_request payload like GitHub's documented example, trimmed to what matters. */
  private ObjectNode pullRequest(
      String action, int number, String sha, String sender, String headRepo) {
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
    b.put("ref", "main");
    b.put("sha", base);
    b.putObject("repo").put("full_name", "octo/app");
    repository(p);
    p.putObject("sender").put("login", sender);
    github.pulls.put(number, pr.deepCopy());
    return p;
  }

  private static void repository(ObjectNode p) {
    ObjectNode r = p.putObject("repository");
    r.put("full_name", "octo/app");
    r.put("clone_url", "https://github.com/octo/app.git");
    r.putObject("owner").put("login", "octo");
  }

  private ObjectNode comment(int number, String user, String body) {
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

  private TestServer.Reply deliver(String event, JsonNode payload, String id, String secret) {
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

  /** The delivery's record once it is decided. */
  private JsonNode decided(String id) {
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

  private JsonNode finished(String runId) {
    return t.finishedRun(runId);
  }

  private int runCount() {
    return t.get("/api/v1/runs", Scope.READ).json().path("runs").size();
  }

  @Test
  void aCollaboratorsPullRequestRunsOnItsHeadAndTheCommentIsCreatedOnceThenEdited()
      throws Exception {
    String sha = pushHead(7, "one");
    github.rateLimited.set(1);
    TestServer.Reply r =
        deliver("pull_request", pullRequest("opened", 7, sha, "alice", "octo/app"), "d-1", SECRET);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    JsonNode d = decided("d-1");
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("accepted");
    assertThat(d.path("runs")).hasSize(1);
    String runId = d.path("runs").get(0).asText();
    JsonNode run = finished(runId);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");

    TestServer.await(
        "a success status",
        () ->
            github.requests("POST", "/repos/octo/app/statuses/" + sha).stream()
                    .anyMatch(q -> q.body().path("state").asText().equals("success"))
                ? true
                : null);
    // The 429 with Retry-After was retried, not lost; the token went only to the API.
    assertThat(github.requests("POST", "/repos/octo/app/statuses/"))
        .allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer " + TOKEN));
    assertThat(
            github
                .requests("POST", "/repos/octo/app/statuses/")
                .get(0)
                .body()
                .path("context")
                .asText())
        .isEqualTo("orchestra/check");
    TestServer.await(
        "the comment edited after the run",
        () ->
            github.comments.values().stream()
                    .anyMatch(c -> c.path("body").asText().contains("succeeded"))
                ? true
                : null);
    assertThat(github.requests("POST", "/repos/octo/app/issues/7/comments")).hasSize(1);
    assertThat(github.requests("PATCH", "/repos/octo/app/issues/comments/")).isNotEmpty();
    assertThat(github.comments).hasSize(1);
    String body = github.comments.values().iterator().next().path("body").asText();
    assertThat(body)
        .contains(PullRequestTriggers.MARKER)
        .contains("orchestra/check: succeeded")
        .contains("| test | succeeded | 1/")
        .contains("https://orchestra.example.com/#/runs/" + runId);
    // The greet workflow has no pull_request trigger: only check ran.
    assertThat(runCount()).isEqualTo(1);
  }

  @Test
  void aBadSignatureIs401AndRunsNothing() throws Exception {
    String sha = pushHead(8, "x");
    TestServer.Reply r =
        deliver(
            "pull_request", pullRequest("opened", 8, sha, "alice", "octo/app"), "d-bad", "wrong");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).doesNotContain(SECRET).doesNotContain("wrong");
    TestServer.Reply none =
        deliver("pull_request", pullRequest("opened", 8, sha, "alice", "octo/app"), "d-none", null);
    assertThat(none.status()).isEqualTo(401);
    JsonNode list = t.get("/api/v1/deliveries", Scope.READ).json().path("deliveries");
    assertThat(list)
        .hasSize(2)
        .allSatisfy(
            d -> {
              assertThat(d.path("decision").asText()).isEqualTo("rejected");
              assertThat(d.path("verified").asBoolean()).isFalse();
            });
    assertThat(runCount()).isZero();
    assertThat(github.requests).isEmpty();
    // A forged request does not block the real delivery of its id.
    TestServer.Reply real =
        deliver(
            "pull_request", pullRequest("opened", 8, sha, "alice", "octo/app"), "d-bad", SECRET);
    assertThat(real.status()).isEqualTo(202);
    assertThat(decided("d-bad").path("decision").asText()).isEqualTo("accepted");
  }

  @Test
  void aReplayedDeliveryRunsNothingAlsoAfterARestart() throws Exception {
    String sha = pushHead(9, "r");
    ObjectNode p = pullRequest("opened", 9, sha, "alice", "octo/app");
    assertThat(deliver("pull_request", p, "d-r", SECRET).status()).isEqualTo(202);
    String runId = decided("d-r").path("runs").get(0).asText();
    finished(runId);
    TestServer.Reply again = deliver("pull_request", p, "d-r", SECRET);
    assertThat(again.json().path("decision").asText()).isEqualTo("replay");
    t.close();
    TestServer before = t;
    t = start();
    // The tokens exist already: the restarted server's fixture did not create them again.
    t.tokens.putAll(before.tokens);
    TestServer.Reply after = deliver("pull_request", p, "d-r", OLD_SECRET);
    assertThat(after.status()).isEqualTo(202);
    assertThat(after.json().path("decision").asText()).isEqualTo("replay");
    assertThat(runCount()).isEqualTo(1);
  }

  @Test
  void aForkWaitsIsApprovedAndRunsAndANewPushNeedsANewApproval() throws Exception {
    String sha1 = pushHead(10, "fork-1");
    deliver(
        "pull_request", pullRequest("opened", 10, sha1, "mallory", "mallory/app"), "f-1", SECRET);
    assertThat(decided("f-1").path("decision").asText()).isEqualTo("awaiting_approval");
    assertThat(runCount()).isZero();
    JsonNode waiting = t.get("/api/v1/github/approvals", Scope.READ).json().path("approvals");
    assertThat(waiting).hasSize(1);
    assertThat(waiting.get(0).path("head_sha").asText()).isEqualTo(sha1);

    // Someone without the approve permission cannot approve.
    deliver("issue_comment", comment(10, "reader", "/orchestra approve"), "f-2", SECRET);
    assertThat(decided("f-2").path("decision").asText()).isEqualTo("ignored");
    assertThat(runCount()).isZero();

    deliver("issue_comment", comment(10, "alice", "/orchestra approve"), "f-3", SECRET);
    JsonNode approved = decided("f-3");
    assertThat(approved.path("decision").asText()).as(approved.toString()).isEqualTo("accepted");
    JsonNode run = finished(approved.path("runs").get(0).asText());
    assertThat(run.path("status").asText()).isEqualTo("succeeded");

    String sha2 = pushHead(10, "fork-2");
    deliver(
        "pull_request",
        pullRequest("synchronize", 10, sha2, "mallory", "mallory/app"),
        "f-4",
        SECRET);
    assertThat(decided("f-4").path("decision").asText()).isEqualTo("awaiting_approval");
    assertThat(runCount()).isEqualTo(1);
    JsonNode next = t.get("/api/v1/github/approvals", Scope.READ).json().path("approvals");
    assertThat(next).hasSize(1);
    String id = next.get(0).path("id").asText();
    assertThat(next.get(0).path("head_sha").asText()).isEqualTo(sha2);
    // The approval is bound to one SHA: the old one does not approve the new head.
    TestServer.Reply stale =
        t.post(
            "/api/v1/github/approvals/" + id + "/approve",
            Scope.RUN,
            "{\"head_sha\": \"" + sha1 + "\"}");
    assertThat(stale.status()).isEqualTo(409);
    TestServer.Reply ok =
        t.post(
            "/api/v1/github/approvals/" + id + "/approve",
            Scope.RUN,
            "{\"head_sha\": \"" + sha2 + "\"}");
    assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
    finished(ok.json().path("runs").get(0).asText());
    assertThat(runCount()).isEqualTo(2);
  }

  @Test
  void aNewPushCancelsTheRunOfTheOlderHead() throws Exception {
    Files.writeString(
        origin.resolve(".orchestra/slow.yaml"),
        "version: 1\n"
            + "name: slow\n"
            + "on:\n"
            + "  pull_request: {branches: [main]}\n"
            + "nodes:\n"
            + "  wait:\n"
            + "    agent: command\n"
            + "    command: [sh, -c, 'if grep -q slow feature.txt; then sleep 600; fi']\n");
    git.add().addFilepattern(".orchestra/slow.yaml").call();
    base = commit("slow workflow").name();
    String sha1 = pushHead(12, "slow");
    deliver("pull_request", pullRequest("opened", 12, sha1, "alice", "octo/app"), "s-1", SECRET);
    String slow1 = runOf(decided("s-1"), "slow");
    TestServer.await(
        "run " + slow1 + " running",
        () ->
            t.get("/api/v1/runs/" + slow1, Scope.READ)
                    .json()
                    .path("status")
                    .asText()
                    .equals("running")
                ? true
                : null);

    String sha2 = pushHead(12, "fast");
    deliver(
        "pull_request", pullRequest("synchronize", 12, sha2, "alice", "octo/app"), "s-2", SECRET);
    String slow2 = runOf(decided("s-2"), "slow");
    assertThat(finished(slow1).path("status").asText()).isEqualTo("cancelled");
    assertThat(finished(slow2).path("status").asText()).isEqualTo("succeeded");
  }

  /** The id of the run of {@code workflow} among those a delivery started. */
  private String runOf(JsonNode delivery, String workflow) {
    for (JsonNode id : delivery.path("runs")) {
      JsonNode run = t.get("/api/v1/runs/" + id.asText(), Scope.READ).json();
      if (run.path("workflow").asText().equals(workflow)) {
        return id.asText();
      }
    }
    throw new AssertionError("no run of " + workflow + " in " + delivery);
  }

  @Test
  void aCommentCommandRunsTheNamedWorkflowWithItsInputs() throws Exception {
    String sha = pushHead(11, "c");
    pullRequest("opened", 11, sha, "alice", "octo/app");
    deliver(
        "issue_comment", comment(11, "reader", "/orchestra run greet who=world"), "c-0", SECRET);
    assertThat(decided("c-0").path("decision").asText()).isEqualTo("ignored");
    deliver("issue_comment", comment(11, "alice", "/orchestra run greet who=world"), "c-1", SECRET);
    JsonNode d = decided("c-1");
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("accepted");
    JsonNode run = finished(d.path("runs").get(0).asText());
    assertThat(run.path("workflow").asText()).isEqualTo("greet");
    assertThat(run.path("inputs").path("who").asText()).isEqualTo("world");
    assertThat(run.path("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void unknownEventsAreIgnoredAndLargePayloadsRefused() {
    ObjectNode p = TestServer.JSON.createObjectNode();
    repository(p);
    TestServer.Reply r = deliver("star", p, "u-1", SECRET);
    assertThat(r.status()).isEqualTo(202);
    assertThat(r.json().path("decision").asText()).isEqualTo("ignored");
    p.put("padding", "x".repeat(70_000));
    TestServer.Reply big = deliver("pull_request", p, "u-2", SECRET);
    assertThat(big.status()).isEqualTo(413);
    assertThat(
            t.get("/api/v1/deliveries", Scope.READ)
                .json()
                .path("deliveries")
                .get(0)
                .path("decision")
                .asText())
        .isEqualTo("too_large");
    assertThat(runCount()).isZero();
  }
}
