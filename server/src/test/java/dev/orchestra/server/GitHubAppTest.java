package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.github.AppKey;
import dev.orchestra.server.github.GitHubApp;
import dev.orchestra.server.github.TestAppKeys;
import dev.orchestra.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub App mode against the local fake of GitHub's REST API: the App's JWT as GitHub checks it,
 * installation tokens asked once and renewed before they expire, the token on every call and on the
 * private mirror's fetch, and none of key, JWT or token in logs, records or API answers.
 */
class GitHubAppTest {
  static final String APP_ID = "123456";
  static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  static KeyPair pair;
  static String pem;

  @TempDir Path home;
  @TempDir Path dir;

  @BeforeAll
  static void key() {
    pair = TestAppKeys.generate();
    pem = TestAppKeys.pkcs1Pem(pair);
  }

  /** The JWTs the fake received on the App's own endpoints, in order. */
  static List<String> jwts(FakeGitHub github) {
    List<String> out = new ArrayList<>();
    for (FakeGitHub.Request r : github.requests) {
      if (r.path().startsWith("/app/") || r.path().endsWith("/installation")) {
        out.add(r.authorization().substring("Bearer ".length()));
      }
    }
    return out;
  }

  /** App mode for {@code octo/app}, served by {@code repo}: alice may write, reader may read. */
  void configure(FakeGitHub github, PrivateRepo repo) throws Exception {
    github.permissions.put("alice", "write");
    github.permissions.put("reader", "read");
    github.installations.put("octo/app", 42L);
    Files.writeString(
        home.resolve("github.json"),
        "{\"webhook_secrets\": [\"gh-hook\"], \"app_id\": \"gh-app-id\","
            + " \"app_private_key\": \"gh-app-key\", \"api_url\": \""
            + github.url()
            + "\", \"ui_url\": \"https://orchestra.example.com/\","
            + " \"repositories\": {\"octo/app\": {\"clone_url\": \""
            + repo.cloneUrl()
            + "\"}}}");
  }

  TestServer start() {
    return TestServer.start(
        home,
        b ->
            b.environment(
                Map.of(
                    "ORCHESTRA_CREDENTIAL_GH_HOOK", PrivateRepo.SECRET,
                    "ORCHESTRA_CREDENTIAL_GH_APP_ID", APP_ID,
                    "ORCHESTRA_CREDENTIAL_GH_APP_KEY", pem)));
  }

  /** The one check run, once it is completed. */
  static JsonNode completedCheckRun(FakeGitHub github) {
    return checkRun(
        github, "a completed check run", c -> c.path("status").asText().equals("completed"));
  }

  /** The first check run that {@code test} holds for, once there is one. */
  static JsonNode checkRun(FakeGitHub github, String what, Predicate<JsonNode> test) {
    return TestServer.await(
        what, () -> github.checkRuns.values().stream().filter(test).findFirst().orElse(null));
  }

  /** A pull_request payload for #{@code number} at {@code sha} sent by {@code sender}. */
  static ObjectNode pullRequest(String action, int number, String sha, String sender) {
    ObjectNode p = PrivateRepo.opened(number, sha, 42);
    p.put("action", action);
    p.putObject("sender").put("login", sender);
    ((ObjectNode) p.at("/pull_request/user")).put("login", sender);
    return p;
  }

  /** The App, installed on octo/app as installation 42, on {@code clock}'s time like the fake. */
  static GitHubApp installedApp(FakeGitHub github, MutableClock clock) {
    github.now = clock::instant;
    github.installations.put("octo/app", 42L);
    return new GitHubApp(github.url(), () -> AppKey.of(APP_ID, pem, "k"), clock);
  }

  @Test
  void asksForTheInstallationTokenOnceAndRenewsItBeforeItExpires() throws Exception {
    MutableClock clock = new MutableClock(T0);
    try (FakeGitHub github = new FakeGitHub()) {
      GitHubApp app = installedApp(github, clock);

      String first = app.token("octo/app").orElseThrow();
      clock.advance(Duration.ofMinutes(50));
      assertThat(app.token("octo/app")).contains(first);
      assertThat(app.token("Octo/App")).contains(first);
      // The token lives an hour; five minutes before that it is replaced.
      clock.advance(Duration.ofMinutes(6));
      String second = app.token("octo/app").orElseThrow();

      assertThat(first).isEqualTo(FakeGitHub.installationToken(1));
      assertThat(second).isEqualTo(FakeGitHub.installationToken(2));
      assertThat(github.requests("GET", "/repos/octo/app/installation")).hasSize(1);
      List<FakeGitHub.Request> asks =
          github.requests("POST", "/app/installations/42/access_tokens");
      assertThat(asks).hasSize(2);
      // Each token reaches the one repository it is for.
      assertThat(asks.get(0).body().path("repositories").toString()).isEqualTo("[\"app\"]");
      List<Long> issuedAt = new ArrayList<>();
      for (String jwt : jwts(github)) {
        JsonNode claims = TestAppKeys.verifiedClaims(jwt, pair.getPublic());
        assertThat(claims.path("iss").asText()).isEqualTo(APP_ID);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
        issuedAt.add(claims.path("iat").asLong());
      }
      long t0 = T0.getEpochSecond() - 60;
      assertThat(issuedAt).containsExactly(t0, t0, t0 + 56 * 60);
    }
  }

  @Test
  void asksForTheInstallationAgainWhenItsTokenIsRefused() throws Exception {
    MutableClock clock = new MutableClock(T0);
    try (FakeGitHub github = new FakeGitHub()) {
      GitHubApp app = installedApp(github, clock);
      assertThat(app.token("octo/app")).contains(FakeGitHub.installationToken(1));

      // Uninstalled and installed again: a new installation id.
      github.installations.put("octo/app", 43L);
      clock.advance(Duration.ofHours(1));
      assertThatThrownBy(() -> app.token("octo/app"))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("HTTP 401");

      assertThat(app.token("octo/app")).contains(FakeGitHub.installationToken(2));
      assertThat(github.requests("POST", "/app/installations/43/access_tokens")).hasSize(1);
      assertThat(github.requests("GET", "/repos/octo/app/installation")).hasSize(2);
    }
  }

  @Test
  void aCollaboratorsPullRequestGetsOneCheckRunCompletedWithTheInstallationTokenOnEveryCall()
      throws Exception {
    String token = FakeGitHub.installationToken(1);
    try (FakeGitHub github = new FakeGitHub();
        PrivateRepo repo = new PrivateRepo(dir, "x-access-token", token)) {
      configure(github, repo);
      JsonNode run;
      String answers;
      try (TestServer t = start()) {
        String sha = repo.pushHead(3);
        assertThat(PrivateRepo.deliver(t, "pull_request", PrivateRepo.opened(3, sha, 42), "a-1"))
            .extracting(TestServer.Reply::status)
            .isEqualTo(202);
        run = PrivateRepo.finishedRunOf(t, "a-1");
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        JsonNode check = completedCheckRun(github);
        String runId = run.path("id").asText();
        assertThat(github.requests("POST", "/repos/octo/app/check-runs")).hasSize(1);
        JsonNode created = github.requests("POST", "/repos/octo/app/check-runs").get(0).body();
        assertThat(created.path("name").asText()).isEqualTo("check");
        assertThat(created.path("head_sha").asText()).isEqualTo(sha);
        assertThat(created.path("status").asText()).isEqualTo("in_progress");
        assertThat(created.path("details_url").asText())
            .isEqualTo("https://orchestra.example.com/#/runs/" + runId);
        assertThat(github.requests("PATCH", "/repos/octo/app/check-runs/" + check.path("id")))
            .hasSize(1);
        assertThat(check.path("conclusion").asText()).isEqualTo("success");
        assertThat(check.at("/output/summary").asText()).contains("| test | succeeded | 1/");
        // Check runs replace commit statuses; the comment is still there.
        assertThat(github.requests("POST", "/repos/octo/app/statuses/")).isEmpty();
        assertThat(github.comments).hasSize(1);
        answers =
            t.get("/api/v1/deliveries", Scope.READ).body()
                + t.get("/api/v1/runs/" + run.path("id").asText(), Scope.READ).body();
      }
      assertThat(repo.server.users()).contains("x-access-token").doesNotContain("?");
      assertThat(github.requests("POST", "/app/installations/42/access_tokens")).hasSize(1);
      for (FakeGitHub.Request r : github.requests) {
        if (!jwts(github).contains(r.authorization().substring("Bearer ".length()))) {
          assertThat(r.authorization()).as(r.path()).isEqualTo("Bearer " + token);
        }
      }
      List<String> secrets = new ArrayList<>(jwts(github));
      secrets.add(token);
      secrets.add(pem.split("\n")[5]);
      for (String secret : secrets) {
        assertThat(answers).doesNotContain(secret);
        assertThat(repo.log()).doesNotContain(secret);
        assertThat(PrivateRepo.filesHolding(home, secret)).isEmpty();
      }
      assertThat(repo.log()).contains("a token of installation 42");
    }
  }

  @Test
  void aReadersPullRequestWaitsWithActionRequiredAndItsApprovedRunGetsItsOwnCheckRun()
      throws Exception {
    try (FakeGitHub github = new FakeGitHub();
        PrivateRepo repo = new PrivateRepo(dir, "x-access-token", FakeGitHub.installationToken(1));
        TestServer t = startConfigured(github, repo)) {
      String sha = repo.pushHead(4);
      PrivateRepo.deliver(t, "pull_request", pullRequest("opened", 4, sha, "reader"), "w-1");
      assertThat(PrivateRepo.decided(t, "w-1").path("decision").asText())
          .isEqualTo("awaiting_approval");
      JsonNode waiting = completedCheckRun(github);
      assertThat(waiting.path("name").asText()).isEqualTo("check");
      assertThat(waiting.path("head_sha").asText()).isEqualTo(sha);
      assertThat(waiting.path("conclusion").asText()).isEqualTo("action_required");
      assertThat(waiting.at("/output/summary").asText()).contains("/orchestra approve");
      // A label on the same head asks again, and the waiting check run is not repeated.
      PrivateRepo.deliver(t, "pull_request", pullRequest("labeled", 4, sha, "reader"), "w-2");
      assertThat(PrivateRepo.decided(t, "w-2").path("decision").asText())
          .isEqualTo("awaiting_approval");
      assertThat(github.requests("POST", "/repos/octo/app/check-runs")).hasSize(1);

      String approval =
          t.get("/api/v1/github/approvals", Scope.READ).json().at("/approvals/0/id").asText();
      TestServer.Reply approved =
          t.post(
              "/api/v1/github/approvals/" + approval + "/approve",
              Scope.RUN,
              "{\"head_sha\": \"" + sha + "\"}");
      assertThat(approved.status()).as(approved.toString()).isEqualTo(202);
      String runId = approved.json().at("/runs/0").asText();
      assertThat(t.finishedRun(runId).path("status").asText()).isEqualTo("succeeded");

      // GitHub reopens no completed check run: the approved run has its own, updated in place.
      JsonNode ran =
          checkRun(
              github,
              "the run's completed check run",
              c ->
                  c.path("external_id").asText().equals(runId)
                      && c.path("status").asText().equals("completed"));
      assertThat(ran.path("conclusion").asText()).isEqualTo("success");
      assertThat(ran.path("id").asLong()).isNotEqualTo(waiting.path("id").asLong());
      assertThat(github.requests("POST", "/repos/octo/app/check-runs")).hasSize(2);
      assertThat(
              github
                  .requests("POST", "/repos/octo/app/check-runs")
                  .get(1)
                  .body()
                  .path("status")
                  .asText())
          .isEqualTo("in_progress");
      assertThat(github.checkRuns.get(waiting.path("id").asLong()).path("conclusion").asText())
          .isEqualTo("action_required");
    }
  }

  @Test
  void aRunResumedAfterARestartCompletesTheCheckRunItStarted() throws Exception {
    Path go = dir.resolve("go");
    try (FakeGitHub github = new FakeGitHub();
        PrivateRepo repo =
            new PrivateRepo(dir, "x-access-token", FakeGitHub.installationToken(1))) {
      // The node waits for the test's signal, so the server stops while it runs.
      Files.writeString(
          repo.work.resolve(".orchestra/check.yaml"),
          PrivateRepo.CHECK.replace(
              "'test -f feature.txt && echo has-feature'",
              "'while [ ! -f " + go + " ]; do sleep 0.2; done'"));
      repo.git.commit().setAll(true).setMessage("wait").setAuthor("t", "t@example.com").call();
      TestServer first = startConfigured(github, repo);
      String runId;
      try {
        String sha = repo.pushHead(5);
        PrivateRepo.deliver(first, "pull_request", pullRequest("opened", 5, sha, "alice"), "r-1");
        runId = PrivateRepo.decided(first, "r-1").at("/runs/0").asText();
        checkRun(
            github,
            "an in-progress check run",
            c -> c.path("status").asText().equals("in_progress"));
      } finally {
        first.close();
      }
      assertThat(github.checkRuns.values())
          .allMatch(c -> c.path("status").asText().equals("in_progress"));
      assertThat(Files.readString(home.resolve("server/github/check-runs.json"))).contains(runId);

      try (TestServer second = start()) {
        second.tokens.putAll(first.tokens);
        Files.writeString(go, "");
        JsonNode run = second.finishedRun(runId);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        JsonNode check = completedCheckRun(github);
        assertThat(check.path("conclusion").asText()).isEqualTo("success");
        assertThat(check.path("external_id").asText()).isEqualTo(runId);
        assertThat(github.checkRuns).hasSize(1);
      }
    }
  }

  TestServer startConfigured(FakeGitHub github, PrivateRepo repo) throws Exception {
    configure(github, repo);
    return start();
  }
}
