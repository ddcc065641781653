package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.github.PullRequestTriggers;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks end to end: a real server, a local HTTP server playing GitHub's REST API, and a real git
 * repository standing in for the clone URL ({@link GitHubFixture}).
 */
class GitHubWebhookTest {
  @RegisterExtension final GitHubFixture f = new GitHubFixture();

  @Test
  void aCollaboratorsPullRequestRunsOnItsHeadAndTheCommentIsCreatedOnceThenEdited()
      throws Exception {
    String sha = f.pushHead(7, "one");
    f.github.rateLimited.set(1);
    TestServer.Reply r = aliceOpens("d-1", 7, sha, "main");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    JsonNode d = f.decided("d-1");
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("accepted");
    assertThat(d.path("runs")).hasSize(1);
    String runId = d.path("runs").get(0).asText();
    JsonNode run = f.finished(runId);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");

    TestServer.await(
        "a success status",
        () ->
            f.github.requests("POST", "/repos/octo/app/statuses/" + sha).stream()
                    .anyMatch(q -> q.body().path("state").asText().equals("success"))
                ? true
                : null);
    // The 429 with Retry-After was retried, not lost; the token went only to the API.
    assertThat(f.github.requests("POST", "/repos/octo/app/statuses/"))
        .allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer " + GitHubFixture.TOKEN));
    assertThat(
            f.github
                .requests("POST", "/repos/octo/app/statuses/")
                .get(0)
                .body()
                .path("context")
                .asText())
        .isEqualTo("orchestra/check");
    TestServer.await(
        "the comment edited after the run",
        () ->
            f.github.comments.values().stream()
                    .anyMatch(c -> c.path("body").asText().contains("succeeded"))
                ? true
                : null);
    assertThat(f.github.requests("POST", "/repos/octo/app/issues/7/comments")).hasSize(1);
    assertThat(f.github.requests("PATCH", "/repos/octo/app/issues/comments/")).isNotEmpty();
    assertThat(f.github.comments).hasSize(1);
    String body = f.github.comments.values().iterator().next().path("body").asText();
    assertThat(body)
        .contains(PullRequestTriggers.MARKER)
        .contains("orchestra/check: succeeded")
        .contains("| test | succeeded | 1/")
        .contains("https://orchestra.example.com/#/runs/" + runId);
    // The greet workflow has no pull_request trigger: only check ran.
    assertThat(f.runCount()).isEqualTo(1);
  }

  @Test
  void aBadSignatureIs401AndRunsNothing() throws Exception {
    String sha = f.pushHead(8, "x");
    TestServer.Reply r =
        f.deliver(
            "pull_request", f.pullRequest("opened", 8, sha, "alice", "octo/app"), "d-bad", "wrong");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).doesNotContain(GitHubFixture.SECRET).doesNotContain("wrong");
    TestServer.Reply none =
        f.deliver(
            "pull_request", f.pullRequest("opened", 8, sha, "alice", "octo/app"), "d-none", null);
    assertThat(none.status()).isEqualTo(401);
    JsonNode list = f.t.get("/api/v1/deliveries", Scope.READ).json().path("deliveries");
    assertThat(list)
        .hasSize(2)
        .allSatisfy(
            d -> {
              assertThat(d.path("decision").asText()).isEqualTo("rejected");
              assertThat(d.path("verified").asBoolean()).isFalse();
            });
    assertThat(f.runCount()).isZero();
    assertThat(f.github.requests).isEmpty();
    // A forged request does not block the real delivery of its id.
    TestServer.Reply real = aliceOpens("d-bad", 8, sha, "main");
    assertThat(real.status()).isEqualTo(202);
    assertThat(f.decided("d-bad").path("decision").asText()).isEqualTo("accepted");
  }

  @Test
  void aReplayedDeliveryRunsNothingAlsoAfterARestart() throws Exception {
    String sha = f.pushHead(9, "r");
    ObjectNode p = f.pullRequest("opened", 9, sha, "alice", "octo/app");
    assertThat(f.deliver("pull_request", p, "d-r", GitHubFixture.SECRET).status()).isEqualTo(202);
    String runId = f.decided("d-r").path("runs").get(0).asText();
    f.finished(runId);
    TestServer.Reply again = f.deliver("pull_request", p, "d-r", GitHubFixture.SECRET);
    assertThat(again.json().path("decision").asText()).isEqualTo("replay");
    f.restart();
    TestServer.Reply after = f.deliver("pull_request", p, "d-r", GitHubFixture.OLD_SECRET);
    assertThat(after.status()).isEqualTo(202);
    assertThat(after.json().path("decision").asText()).isEqualTo("replay");
    assertThat(f.runCount()).isEqualTo(1);
  }

  @Test
  void aForkWaitsIsApprovedAndRunsAndANewPushNeedsANewApproval() throws Exception {
    String sha1 = f.pushHead(10, "fork-1");
    assertThat(
            f.pullRequestEvent("f-1", "opened", 10, sha1, "mallory", "mallory/app")
                .path("decision")
                .asText())
        .isEqualTo("awaiting_approval");
    assertThat(f.runCount()).isZero();
    JsonNode waiting = f.t.get("/api/v1/github/approvals", Scope.READ).json().path("approvals");
    assertThat(waiting).hasSize(1);
    assertThat(waiting.get(0).path("head_sha").asText()).isEqualTo(sha1);

    // Someone without the approve permission cannot approve.
    assertThat(f.commentEvent("f-2", 10, "reader", "/orchestra approve").path("decision").asText())
        .isEqualTo("ignored");
    assertThat(f.runCount()).isZero();

    JsonNode approved = f.commentEvent("f-3", 10, "alice", "/orchestra approve");
    assertThat(approved.path("decision").asText()).as(approved.toString()).isEqualTo("accepted");
    JsonNode run = f.finished(approved.path("runs").get(0).asText());
    assertThat(run.path("status").asText()).isEqualTo("succeeded");

    String sha2 = f.pushHead(10, "fork-2");
    assertThat(
            f.pullRequestEvent("f-4", "synchronize", 10, sha2, "mallory", "mallory/app")
                .path("decision")
                .asText())
        .isEqualTo("awaiting_approval");
    assertThat(f.runCount()).isEqualTo(1);
    JsonNode next = f.t.get("/api/v1/github/approvals", Scope.READ).json().path("approvals");
    assertThat(next).hasSize(1);
    String id = next.get(0).path("id").asText();
    assertThat(next.get(0).path("head_sha").asText()).isEqualTo(sha2);
    // The approval is bound to one SHA: the old one does not approve the new head.
    TestServer.Reply stale =
        f.t.post(
            "/api/v1/github/approvals/" + id + "/approve",
            Scope.RUN,
            "{\"head_sha\": \"" + sha1 + "\"}");
    assertThat(stale.status()).isEqualTo(409);
    TestServer.Reply ok =
        f.t.post(
            "/api/v1/github/approvals/" + id + "/approve",
            Scope.RUN,
            "{\"head_sha\": \"" + sha2 + "\"}");
    assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
    f.finished(ok.json().path("runs").get(0).asText());
    assertThat(f.runCount()).isEqualTo(2);
  }

  @Test
  void aNewPushCancelsTheRunOfTheOlderHead() throws Exception {
    f.addWorkflow("slow", GitHubFixture.SLOW);
    String sha1 = f.pushHead(12, "slow");
    String slow1 =
        f.runOf(f.pullRequestEvent("s-1", "opened", 12, sha1, "alice", "octo/app"), "slow");
    f.running(slow1);

    String sha2 = f.pushHead(12, "fast");
    String slow2 =
        f.runOf(f.pullRequestEvent("s-2", "synchronize", 12, sha2, "alice", "octo/app"), "slow");
    assertThat(f.finished(slow1).path("status").asText()).isEqualTo("cancelled");
    assertThat(f.finished(slow2).path("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void aCommentCommandRunsTheNamedWorkflowWithItsInputs() throws Exception {
    String sha = f.pushHead(11, "c");
    f.pullRequest("opened", 11, sha, "alice", "octo/app");
    assertThat(
            f.commentEvent("c-0", 11, "reader", "/orchestra run greet who=world")
                .path("decision")
                .asText())
        .isEqualTo("ignored");
    JsonNode d = f.commentEvent("c-1", 11, "alice", "/orchestra run greet who=world");
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("accepted");
    JsonNode run = f.finished(d.path("runs").get(0).asText());
    assertThat(run.path("workflow").asText()).isEqualTo("greet");
    assertThat(run.path("inputs").path("who").asText()).isEqualTo("world");
    assertThat(run.path("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void unknownEventsAreIgnoredAndLargePayloadsRefused() {
    ObjectNode p = TestServer.JSON.createObjectNode();
    GitHubFixture.repository(p);
    TestServer.Reply r = f.deliver("star", p, "u-1", GitHubFixture.SECRET);
    assertThat(r.status()).isEqualTo(202);
    assertThat(r.json().path("decision").asText()).isEqualTo("ignored");
    p.put("padding", "x".repeat(70_000));
    TestServer.Reply big = f.deliver("pull_request", p, "u-2", GitHubFixture.SECRET);
    assertThat(big.status()).isEqualTo(413);
    assertThat(
            f.t
                .get("/api/v1/deliveries", Scope.READ)
                .json()
                .path("deliveries")
                .get(0)
                .path("decision")
                .asText())
        .isEqualTo("too_large");
    assertThat(f.runCount()).isZero();
  }

  @Test
  void aPingIsAnswered200AndRecorded() throws Exception {
    ObjectNode p = TestServer.JSON.createObjectNode();
    p.put("zen", "Keep it logically awesome.");
    p.put("hook_id", 42);
    p.putObject("hook").put("type", "Repository").putArray("events").add("pull_request");
    GitHubFixture.repository(p);
    p.putObject("sender").put("login", "octo");
    TestServer.Reply r = f.deliver("ping", p, "p-1", GitHubFixture.SECRET);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("decision").asText()).isEqualTo("accepted");
    JsonNode d = f.t.get("/api/v1/deliveries", Scope.READ).json().path("deliveries").get(0);
    assertThat(d.path("id").asText()).isEqualTo("p-1");
    assertThat(d.path("event").asText()).isEqualTo("ping");
    assertThat(d.path("verified").asBoolean()).isTrue();
    assertThat(d.path("decision").asText()).isEqualTo("accepted");
    assertThat(d.path("reason").asText()).isEqualTo("ping");
    assertThat(d.path("repository").asText()).isEqualTo("octo/app");
    assertThat(Files.readString(f.home.resolve("server/github/deliveries.jsonl")))
        .contains("\"p-1\"")
        .contains("\"ping\"");
    // A ping with a bad signature is refused like any delivery.
    assertThat(f.deliver("ping", p, "p-2", "wrong").status()).isEqualTo(401);
    assertThat(f.github.requests).isEmpty();
    assertThat(f.runCount()).isZero();
  }

  @Test
  void withForksIgnoreAForksPullRequestRunsNothingAndAsksForNoApproval() throws Exception {
    f.policy("\"forks\": \"ignore\"");
    f.restart();
    String sha = f.pushHead(13, "fork");
    JsonNode d = f.pullRequestEvent("i-1", "opened", 13, sha, "alice", "mallory/app");
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("ignored");
    assertThat(d.path("reason").asText()).contains("forks: ignore");
    assertThat(d.path("runs")).isEmpty();
    assertThat(f.runCount()).isZero();
    assertThat(f.t.get("/api/v1/github/approvals", Scope.READ).json().path("approvals")).isEmpty();
    assertThat(f.github.requests("POST", "/repos/octo/app/")).isEmpty();
    // The same repository's pull requests still run.
    String own = f.pushHead(14, "own");
    assertThat(
            f.pullRequestEvent("i-2", "opened", 14, own, "alice", "octo/app")
                .path("decision")
                .asText())
        .isEqualTo("accepted");
  }

  @Test
  void onPullRequestBranchesAndPathsChooseWhatRuns() throws Exception {
    f.addWorkflow(
        "docs",
        "version: 1\n"
            + "name: docs\n"
            + "on:\n"
            + "  pull_request: {paths: [\"docs/**\"]}\n"
            + "nodes:\n"
            + "  guide:\n"
            + "    agent: command\n"
            + "    command: [sh, -c, 'test -f docs/guide.md']\n");
    f.git.branchCreate().setName("release").call();

    // To release, touching feature.txt only: check wants base main, docs wants docs/**.
    String neither = f.pushHead(20, "release", "feature.txt", "x");
    JsonNode none = openedToRelease("b-1", 20, neither);
    assertThat(none.path("decision").asText()).as(none.toString()).isEqualTo("ignored");
    assertThat(none.path("reason").asText()).contains("of release runs");
    assertThat(f.runCount()).isZero();

    // To main, touching feature.txt only: check runs, docs does not (paths).
    String feature = f.pushHead(21, "main", "feature.txt", "y");
    assertThat(workflowsRun(f.pullRequestEvent("b-2", "opened", 21, feature, "alice", "octo/app")))
        .containsExactly("check");

    // To release, touching docs/: docs runs, check does not (branches).
    String docs = f.pushHead(22, "release", "docs/guide.md", "guide");
    JsonNode d3 = openedToRelease("b-3", 22, docs);
    assertThat(workflowsRun(d3)).containsExactly("docs");
    JsonNode run = f.finished(d3.path("runs").get(0).asText());
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");

    // To main, touching docs/: both match.
    String both = f.pushHead(23, "main", "docs/guide.md", "guide");
    assertThat(workflowsRun(f.pullRequestEvent("b-4", "opened", 23, both, "alice", "octo/app")))
        .containsExactlyInAnyOrder("check", "docs");
  }

  /** Delivers pull request N by alice to branch release, opened at {@code sha}; its decision. */
  private JsonNode openedToRelease(String id, int number, String sha) {
    aliceOpens(id, number, sha, "release");
    return f.decided(id);
  }

  /** Delivers, signed, as {@code id}: alice opened pull request N to {@code baseRef} at sha. */
  private TestServer.Reply aliceOpens(String id, int number, String sha, String baseRef) {
    return f.deliver(
        "pull_request",
        f.pullRequest("opened", number, sha, "alice", "octo/app", baseRef),
        id,
        GitHubFixture.SECRET);
  }

  private java.util.List<String> workflowsRun(JsonNode delivery) {
    assertThat(delivery.path("decision").asText()).as(delivery.toString()).isEqualTo("accepted");
    java.util.List<String> names = new java.util.ArrayList<>();
    delivery.path("runs").forEach(id -> names.add(f.run(id.asText()).path("workflow").asText()));
    return names;
  }

  @Test
  void aCommentCommandPassesEveryKeyValueAndRefusesWhatIsNone() throws Exception {
    f.addWorkflow(
        "echo",
        "version: 1\n"
            + "name: echo\n"
            + "on:\n"
            + "  comment: {command: echo}\n"
            + "inputs:\n"
            + "  who: {required: true}\n"
            + "  greeting: {default: hello}\n"
            + "nodes:\n"
            + "  say:\n"
            + "    agent: command\n"
            + "    prompt: '{{ inputs.greeting }} {{ inputs.who }}'\n"
            + "    command: [cat]\n");
    String sha = f.pushHead(15, "e");
    f.pullRequest("opened", 15, sha, "alice", "octo/app");

    JsonNode d = f.commentEvent("e-1", 15, "alice", "/orchestra run echo who=a=b   greeting=hi");
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("accepted");
    JsonNode run = f.finished(d.path("runs").get(0).asText());
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
    assertThat(run.path("inputs").path("who").asText()).isEqualTo("a=b");
    assertThat(run.path("inputs").path("greeting").asText()).isEqualTo("hi");
    f.statusPosted(sha, "success");
    assertThat(f.github.requests("POST", "/repos/octo/app/statuses/" + sha))
        .allSatisfy(q -> assertThat(q.body().path("context").asText()).isEqualTo("orchestra/echo"));

    JsonNode bad = f.commentEvent("e-2", 15, "alice", "/orchestra run echo who");
    assertThat(bad.path("decision").asText()).isEqualTo("ignored");
    assertThat(bad.path("reason").asText()).contains("'who' is not key=value");
    JsonNode unknown = f.commentEvent("e-3", 15, "alice", "/orchestra run nosuch who=x");
    assertThat(unknown.path("decision").asText()).isEqualTo("ignored");
    assertThat(unknown.path("reason").asText()).contains("on.comment.command nosuch");
    assertThat(f.runCount()).isEqualTo(1);
  }
}
