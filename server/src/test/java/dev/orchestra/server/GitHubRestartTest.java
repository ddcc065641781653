package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.server.auth.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What pull-request triggers keep across a server restart (a new {@link OrchestraServer} on the
 * same Orchestra home and store): the runs of a superseded head are still cancelled, a waiting
 * approval can still be given for its head, and a resumed run still checks out its head's commit
 * and reports its end on the pull request (its commit status, or as a GitHub App its one check
 * run).
 */
class GitHubRestartTest {
  @RegisterExtension final GitHubFixture f = new GitHubFixture();
  @TempDir Path gates;

  private static final String SHA_STATES = "/repos/octo/app/statuses/";

  @Test
  void aPushAfterARestartCancelsTheResumedRunOfTheOlderHead() throws Exception {
    f.addWorkflow("slow", GitHubFixture.SLOW);
    String sha1 = f.pushHead(12, "slow");
    String slow1 =
        f.runOf(f.pullRequestEvent("s-1", "opened", 12, sha1, "alice", "octo/app"), "slow");
    f.running(slow1);

    f.restart();
    // Resumed, on its pinned head: feature.txt says "slow" there, so it waits again.
    f.running(slow1);
    assertThat(f.github.requests("POST", SHA_STATES + sha1))
        .as("the shutdown's cancel is no end to report")
        .noneMatch(
            q ->
                q.body().path("context").asText().equals("orchestra/slow")
                    && !q.body().path("state").asText().equals("pending"));

    String sha2 = f.pushHead(12, "fast");
    String slow2 =
        f.runOf(f.pullRequestEvent("s-2", "synchronize", 12, sha2, "alice", "octo/app"), "slow");
    assertThat(f.finished(slow1).path("status").asText()).isEqualTo("cancelled");
    assertThat(f.finished(slow2).path("status").asText()).isEqualTo("succeeded");
    f.statusPosted(sha1, "error");
    // The comment shows the new head; the old run's late end did not put its head back.
    TestServer.await(
        "the comment showing " + slow2 + " succeeded",
        () -> comment().contains("orchestra/slow: succeeded (run [" + slow2) ? true : null);
    assertThat(comment()).contains(sha2.substring(0, 12)).doesNotContain(sha1.substring(0, 12));
  }

  @Test
  void aWaitingApprovalSurvivesARestartAndStaysBoundToItsHead() throws Exception {
    String sha1 = f.pushHead(10, "fork-1");
    assertThat(
            f.pullRequestEvent("f-1", "opened", 10, sha1, "mallory", "mallory/app")
                .path("decision")
                .asText())
        .isEqualTo("awaiting_approval");

    f.restart();
    JsonNode waiting = f.t.get("/api/v1/github/approvals", Scope.READ).json().path("approvals");
    assertThat(waiting).hasSize(1);
    assertThat(waiting.get(0).path("head_sha").asText()).isEqualTo(sha1);
    String id = waiting.get(0).path("id").asText();
    TestServer.Reply other =
        f.t.post(
            "/api/v1/github/approvals/" + id + "/approve",
            Scope.RUN,
            "{\"head_sha\": \"" + "0".repeat(40) + "\"}");
    assertThat(other.status()).isEqualTo(409);
    TestServer.Reply ok =
        f.t.post(
            "/api/v1/github/approvals/" + id + "/approve",
            Scope.RUN,
            "{\"head_sha\": \"" + sha1 + "\"}");
    assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
    JsonNode run = f.finished(ok.json().path("runs").get(0).asText());
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
    f.statusPosted(sha1, "success");

    // A new push waits again; after another restart a comment approves exactly that head.
    String sha2 = f.pushHead(10, "fork-2");
    assertThat(
            f.pullRequestEvent("f-2", "synchronize", 10, sha2, "mallory", "mallory/app")
                .path("decision")
                .asText())
        .isEqualTo("awaiting_approval");
    f.restart();
    JsonNode approved = f.commentEvent("f-3", 10, "alice", "/orchestra approve");
    assertThat(approved.path("decision").asText()).as(approved.toString()).isEqualTo("accepted");
    assertThat(f.finished(approved.path("runs").get(0).asText()).path("status").asText())
        .isEqualTo("succeeded");
    f.statusPosted(sha2, "success");
    assertThat(f.t.get("/api/v1/github/approvals", Scope.READ).json().path("approvals")).isEmpty();
    assertThat(f.runCount()).isEqualTo(2);
  }

  @Test
  void aRunResumedAfterARestartChecksOutTheCommitOfItsEventAndReportsItsEnd() throws Exception {
    Path gate = gates.resolve("open");
    f.addWorkflow(
        "gate",
        "version: 1\n"
            + "name: gate\n"
            + "on:\n"
            + "  pull_request: {branches: [main]}\n"
            + "workspace: {isolation: branch}\n"
            + "nodes:\n"
            + "  wait:\n"
            + "    agent: command\n"
            + "    command: [sh, -c, 'grep -q pinned feature.txt && while [ ! -f "
            + gate
            + " ]; do sleep 0.2; done']\n");
    String sha = f.pushHead(30, "pinned");
    String runId =
        f.runOf(f.pullRequestEvent("g-1", "opened", 30, sha, "alice", "octo/app"), "gate");
    f.running(runId);

    f.restart();
    // The pull request's ref moves on meanwhile (a push whose delivery has not come yet): the
    // resumed run still works on the commit of its event.
    String moved = f.pushHead(30, "moved");
    assertThat(f.git.getRepository().resolve("refs/pull/30/head").name()).isEqualTo(moved);
    Files.writeString(gate, "open");
    JsonNode run = f.finished(runId);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");

    // The restarted server watched it: its status and the one comment show its end.
    f.statusPosted(sha, "success");
    assertThat(f.github.requests("POST", SHA_STATES + sha))
        .filteredOn(q -> q.body().path("context").asText().equals("orchestra/gate"))
        .extracting(q -> q.body().path("state").asText())
        .containsOnly("pending", "success")
        .endsWith("success");
    TestServer.await(
        "the comment showing " + runId + " succeeded",
        () -> comment().contains("orchestra/gate: succeeded (run [" + runId) ? true : null);
    assertThat(f.github.comments).hasSize(1);
  }

  @Test
  @GitHubFixture.AsApp
  void asAnAppAResumedRunCompletesItsOneCheckRunAndAPushCancelsItAfterARestart() throws Exception {
    f.addWorkflow("slow", GitHubFixture.SLOW);
    String sha1 = f.pushHead(14, "slow");
    String slow1 =
        f.runOf(f.pullRequestEvent("a-1", "opened", 14, sha1, "alice", "octo/app"), "slow");
    f.running(slow1);
    checkRunOf(slow1, "in_progress");

    f.restart();
    f.running(slow1);
    assertThat(checkRunsOf(slow1))
        .as("the shutdown's cancel is no end to show")
        .singleElement()
        .satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("in_progress"));

    String sha2 = f.pushHead(14, "fast");
    String slow2 =
        f.runOf(f.pullRequestEvent("a-2", "synchronize", 14, sha2, "alice", "octo/app"), "slow");
    assertThat(f.finished(slow1).path("status").asText()).isEqualTo("cancelled");
    assertThat(f.finished(slow2).path("status").asText()).isEqualTo("succeeded");
    // The check run created before the restart is the one completed, not a second one.
    assertThat(checkRunOf(slow1, "completed").path("conclusion").asText()).isEqualTo("cancelled");
    assertThat(checkRunsOf(slow1)).hasSize(1);
    JsonNode two = checkRunOf(slow2, "completed");
    assertThat(two.path("conclusion").asText()).isEqualTo("success");
    assertThat(two.path("head_sha").asText()).isEqualTo(sha2);
    assertThat(f.github.requests("POST", SHA_STATES + sha1)).isEmpty();
    TestServer.await(
        "the comment showing " + slow2 + " succeeded",
        () -> comment().contains("orchestra/slow: succeeded (run [" + slow2) ? true : null);
    assertThat(comment()).doesNotContain(sha1.substring(0, 12));
  }

  /** The check runs GitHub holds for run {@code runId}. */
  private List<JsonNode> checkRunsOf(String runId) {
    return f.github.checkRuns.values().stream()
        .filter(c -> c.path("external_id").asText().equals(runId))
        .map(JsonNode.class::cast)
        .toList();
  }

  /** Run {@code runId}'s check run, once it has {@code status}. */
  private JsonNode checkRunOf(String runId, String status) {
    return TestServer.await(
        "run " + runId + "'s check run " + status,
        () ->
            checkRunsOf(runId).stream()
                .filter(c -> c.path("status").asText().equals(status))
                .findFirst()
                .orElse(null));
  }

  private String comment() {
    return f.github.comments.values().stream()
        .map(c -> c.path("body").asText())
        .findFirst()
        .orElse("");
  }
}
