package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.server.GitHubFixture.AsApp;
import dev.orchestra.server.auth.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GitHub's <i>Re-run</i> of Orchestra's check runs ({@code check_run} and {@code check_suite} with
 * {@code rerequested}) end to end, as a GitHub App: a new run and check run on the same head,
 * through the gate of a push, refused with a reason when it may not run.
 */
class GitHubRerunTest {
  @RegisterExtension final GitHubFixture f = new GitHubFixture();

  /** The fixture's check, tried once, so a head without feature.txt fails at once. */
  static final String CHECK_ONCE =
      GitHubFixture.CHECK.replace("    agent: command\n", "    agent: command\n    attempts: 1\n");

  /** The check run of run {@code runId}, once it is completed. */
  JsonNode completedCheckOf(String runId) {
    return GitHubAppTest.checkRun(
        f.github,
        "the completed check run of " + runId,
        c ->
            c.path("external_id").asText().equals(runId)
                && c.path("status").asText().equals("completed"));
  }

  /** Alice's pull request #N at a new head holding feature.txt, its run ended; its check run. */
  JsonNode ranOnce(int number, String delivery) throws Exception {
    String sha = f.pushHead(number, "ok-" + number);
    String runId =
        f.pullRequestEvent(delivery, "opened", number, sha, "alice", "octo/app")
            .at("/runs/0")
            .asText();
    assertThat(f.finished(runId).path("status").asText()).isEqualTo("succeeded");
    return completedCheckOf(runId);
  }

  JsonNode rerun(String delivery, JsonNode checkRun, String sender, Integer pullRequest) {
    TestServer.Reply r =
        f.deliver(
            "check_run",
            f.checkRunRerequested(checkRun, sender, pullRequest),
            delivery,
            GitHubFixture.SECRET);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return f.decided(delivery);
  }

  List<FakeGitHub.Request> checkRunsCreated() {
    return f.github.requests("POST", "/repos/octo/app/check-runs");
  }

  @Test
  @AsApp
  void aReRunOfAFailedCheckStartsANewRunWithANewCheckRunOnTheSameHead() throws Exception {
    f.addWorkflow("check", CHECK_ONCE);
    String sha = f.pushHead(20, "main", "other.txt", "no feature");
    String first =
        f.pullRequestEvent("p-1", "opened", 20, sha, "alice", "octo/app").at("/runs/0").asText();
    assertThat(f.finished(first).path("status").asText()).isEqualTo("failed");
    JsonNode failed = completedCheckOf(first);
    assertThat(failed.path("conclusion").asText()).isEqualTo("failure");

    JsonNode d = rerun("r-1", failed, "alice", 20);
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("accepted");
    assertThat(d.path("event").asText()).isEqualTo("check_run");
    assertThat(d.path("runs")).hasSize(1);
    String second = d.at("/runs/0").asText();
    assertThat(second).isNotEqualTo(first);
    JsonNode run = f.finished(second);
    assertThat(run.path("workflow").asText()).isEqualTo("check");
    assertThat(run.path("status").asText()).isEqualTo("failed");

    JsonNode again = completedCheckOf(second);
    assertThat(again.path("id").asLong()).isNotEqualTo(failed.path("id").asLong());
    assertThat(again.path("name").asText()).isEqualTo("check");
    assertThat(again.path("head_sha").asText()).isEqualTo(sha);
    assertThat(again.path("conclusion").asText()).isEqualTo("failure");
    assertThat(checkRunsCreated()).hasSize(2);
    assertThat(checkRunsCreated().get(1).body().path("status").asText()).isEqualTo("in_progress");
    // The first check run keeps its result; the comment shows the head's latest run only.
    assertThat(f.github.checkRuns.get(failed.path("id").asLong()).path("external_id").asText())
        .isEqualTo(first);
    TestServer.await(
        "the comment showing the re-run in place of the first run",
        () ->
            f.github.comments.values().stream()
                    .map(c -> c.path("body").asText())
                    .anyMatch(b -> b.contains(second) && b.contains("failed") && !b.contains(first))
                ? true
                : null);
    assertThat(f.runCount()).isEqualTo(2);
  }

  @Test
  @AsApp
  void aReRunRequestedWithoutWritePermissionIsRefusedWithTheReason() throws Exception {
    JsonNode check = ranOnce(21, "p-2");

    JsonNode reader = rerun("r-2", check, "reader", 21);
    assertThat(reader.path("decision").asText()).isEqualTo("ignored");
    assertThat(reader.path("reason").asText())
        .isEqualTo("reader has read permission on octo/app; re-running a check needs write");
    JsonNode stranger = rerun("r-3", check, "stranger", 21);
    assertThat(stranger.path("decision").asText()).isEqualTo("ignored");
    assertThat(stranger.path("reason").asText()).startsWith("stranger has none permission");

    assertThat(f.runCount()).isEqualTo(1);
    assertThat(checkRunsCreated()).hasSize(1);
  }

  @Test
  @AsApp
  void aReRunOfAForksHeadWaitsForAnApprovalAgainAndRunsOnceApproved() throws Exception {
    String sha = f.pushHead(22, "fork");
    assertThat(
            f.pullRequestEvent("k-1", "opened", 22, sha, "mallory", "mallory/app")
                .path("decision")
                .asText())
        .isEqualTo("awaiting_approval");
    JsonNode approved = f.commentEvent("k-2", 22, "alice", "/orchestra approve");
    String first = approved.at("/runs/0").asText();
    f.finished(first);
    JsonNode ran = completedCheckOf(first);
    assertThat(checkRunsCreated()).hasSize(2);

    // GitHub lists no pull request for a fork's head: the server knows the check run's own.
    JsonNode d = rerun("k-3", ran, "alice", null);
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("awaiting_approval");
    assertThat(d.path("reason").asText()).contains("a pull request from a fork").contains(sha);
    assertThat(f.runCount()).isEqualTo(1);
    // The run's check run was the newest, so the waiting is shown again.
    assertThat(checkRunsCreated()).hasSize(3);
    JsonNode waiting = checkRunsCreated().get(2).body();
    assertThat(waiting.path("conclusion").asText()).isEqualTo("action_required");
    assertThat(waiting.path("head_sha").asText()).isEqualTo(sha);
    JsonNode approvals = f.t.get("/api/v1/github/approvals", Scope.READ).json().path("approvals");
    assertThat(approvals).hasSize(1);
    assertThat(approvals.get(0).path("head_sha").asText()).isEqualTo(sha);

    JsonNode again = f.commentEvent("k-4", 22, "alice", "/orchestra approve");
    assertThat(again.path("decision").asText()).as(again.toString()).isEqualTo("accepted");
    String second = again.at("/runs/0").asText();
    assertThat(f.finished(second).path("status").asText()).isEqualTo("succeeded");
    assertThat(completedCheckOf(second).path("conclusion").asText()).isEqualTo("success");
    assertThat(f.runCount()).isEqualTo(2);
  }

  @Test
  @AsApp
  void aDuplicateDeliveryOfAReRunStartsOneRun() throws Exception {
    JsonNode check = ranOnce(23, "p-4");
    ObjectNode payload = f.checkRunRerequested(check, "alice", 23);
    assertThat(f.deliver("check_run", payload, "dup-1", GitHubFixture.SECRET).status())
        .isEqualTo(202);
    TestServer.Reply twice = f.deliver("check_run", payload, "dup-1", GitHubFixture.SECRET);
    assertThat(twice.json().path("decision").asText()).isEqualTo("replay");
    JsonNode d = f.decided("dup-1");
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("accepted");
    f.finished(d.at("/runs/0").asText());
    f.restart();
    TestServer.Reply after = f.deliver("check_run", payload, "dup-1", GitHubFixture.SECRET);
    assertThat(after.json().path("decision").asText()).isEqualTo("replay");
    assertThat(f.runCount()).isEqualTo(2);
    assertThat(checkRunsCreated()).hasSize(2);

    // A new press after the restart: check-runs.json still knows the check run and its pull
    // request (the payload lists none here).
    JsonNode later = rerun("dup-2", check, "alice", null);
    assertThat(later.path("decision").asText()).as(later.toString()).isEqualTo("accepted");
    f.finished(later.at("/runs/0").asText());
    assertThat(f.runCount()).isEqualTo(3);
  }

  @Test
  @AsApp
  void aCheckRunThatIsNotOrchestrasAndOtherCheckActionsAreIgnoredWithTheReason() {
    ObjectNode foreign = TestServer.JSON.createObjectNode();
    foreign.put("id", 999_999).put("name", "ci/other").put("head_sha", f.base);
    foreign.put("conclusion", "failure");
    JsonNode d = rerun("u-1", foreign, "alice", 5);
    assertThat(d.path("decision").asText()).isEqualTo("ignored");
    assertThat(d.path("reason").asText())
        .isEqualTo("check run 999999 (ci/other) is not one Orchestra created");

    ObjectNode created = f.checkRunRerequested(foreign, "alice", 5);
    created.put("action", "created");
    TestServer.Reply r = f.deliver("check_run", created, "u-2", GitHubFixture.SECRET);
    assertThat(r.status()).isEqualTo(202);
    assertThat(r.json().path("decision").asText()).isEqualTo("ignored");
    assertThat(r.json().path("reason").asText())
        .isEqualTo("check_run action 'created' starts nothing");
    ObjectNode requested = f.checkSuiteRerequested(f.base, 5, "alice");
    requested.put("action", "requested");
    assertThat(
            f.deliver("check_suite", requested, "u-3", GitHubFixture.SECRET)
                .json()
                .path("decision")
                .asText())
        .isEqualTo("ignored");
    ObjectNode suite = f.checkSuiteRerequested(f.base, 5, "alice");
    f.deliver("check_suite", suite, "u-4", GitHubFixture.SECRET);
    assertThat(f.decided("u-4").path("reason").asText()).contains("holds no check run Orchestra");

    assertThat(f.runCount()).isZero();
    assertThat(f.github.requests("GET", "/repos/octo/app/")).isEmpty();
  }

  @Test
  @AsApp
  void aReRunOfACheckOnAnOutdatedHeadIsIgnoredWithTheReason() throws Exception {
    JsonNode old = ranOnce(24, "p-5");
    String sha2 = f.pushHead(24, "newer");
    String second =
        f.pullRequestEvent("p-6", "synchronize", 24, sha2, "alice", "octo/app")
            .at("/runs/0")
            .asText();
    f.finished(second);

    JsonNode d = rerun("o-1", old, "alice", 24);
    assertThat(d.path("decision").asText()).isEqualTo("ignored");
    assertThat(d.path("reason").asText())
        .contains("which is no longer the head of #24 (" + sha2 + ")");
    assertThat(f.runCount()).isEqualTo(2);
  }

  @Test
  @AsApp
  void reRunAllChecksOfTheSuiteStartsEveryWorkflowOfThePullRequestAgain() throws Exception {
    f.addWorkflow("slow", GitHubFixture.SLOW);
    String sha = f.pushHead(25, "quick");
    JsonNode opened = f.pullRequestEvent("p-7", "opened", 25, sha, "alice", "octo/app");
    assertThat(opened.path("runs")).hasSize(2);
    for (JsonNode id : opened.path("runs")) {
      f.finished(id.asText());
      completedCheckOf(id.asText());
    }

    f.deliver(
        "check_suite", f.checkSuiteRerequested(sha, 25, "alice"), "s-1", GitHubFixture.SECRET);
    JsonNode d = f.decided("s-1");
    assertThat(d.path("decision").asText()).as(d.toString()).isEqualTo("accepted");
    assertThat(d.path("runs")).hasSize(2);
    for (JsonNode id : d.path("runs")) {
      assertThat(f.finished(id.asText()).path("status").asText()).isEqualTo("succeeded");
      assertThat(completedCheckOf(id.asText()).path("head_sha").asText()).isEqualTo(sha);
    }
    assertThat(f.runCount()).isEqualTo(4);
    assertThat(checkRunsCreated()).hasSize(4);
  }

  @Test
  @AsApp
  void aWorkflowStillRunningOnTheHeadIsNotStartedTwice() throws Exception {
    f.addWorkflow("slow", GitHubFixture.SLOW);
    String sha = f.pushHead(27, "slow");
    JsonNode opened = f.pullRequestEvent("p-9", "opened", 27, sha, "alice", "octo/app");
    String check = f.runOf(opened, "check");
    String slow = f.runOf(opened, "slow");
    f.finished(check);
    completedCheckOf(check);
    f.running(slow);
    JsonNode running =
        GitHubAppTest.checkRun(
            f.github,
            "the slow run's check run in progress",
            c ->
                c.path("external_id").asText().equals(slow)
                    && c.path("status").asText().equals("in_progress"));

    JsonNode one = rerun("w-1", running, "alice", 27);
    assertThat(one.path("decision").asText()).isEqualTo("ignored");
    assertThat(one.path("reason").asText())
        .isEqualTo("still running on " + sha + ": [slow (run " + slow + ")]");
    f.deliver(
        "check_suite", f.checkSuiteRerequested(sha, 27, "alice"), "w-2", GitHubFixture.SECRET);
    JsonNode all = f.decided("w-2");
    assertThat(all.path("decision").asText()).as(all.toString()).isEqualTo("accepted");
    assertThat(all.path("reason").asText()).endsWith("slow (run " + slow + ")], not re-run");
    assertThat(all.path("runs")).hasSize(1);
    assertThat(f.run(all.at("/runs/0").asText()).path("workflow").asText()).isEqualTo("check");
    assertThat(f.runCount()).isEqualTo(3);
  }

  @Test
  void withATokenThereIsNoCheckRunToReRun() throws Exception {
    String sha = f.pushHead(26, "token");
    String runId =
        f.pullRequestEvent("p-8", "opened", 26, sha, "alice", "octo/app").at("/runs/0").asText();
    f.finished(runId);
    ObjectNode check = TestServer.JSON.createObjectNode();
    check.put("id", 5).put("name", "check").put("head_sha", sha).put("conclusion", "success");

    JsonNode d = rerun("t-1", check, "alice", 26);
    assertThat(d.path("decision").asText()).isEqualTo("ignored");
    assertThat(d.path("reason").asText()).contains("commit statuses");
    assertThat(f.runCount()).isEqualTo(1);
  }
}
