package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

  /** The one check run, once it is completed. */
  static JsonNode completedCheckRun(FakeGitHub github) {
    return TestServer.await(
        "a completed check run",
        () ->
            github.checkRuns.values().stream()
                .filter(c -> c.path("status").asText().equals("completed"))
                .findFirst()
                .orElse(null));
  }

  @Test
  void asksForTheInstallationTokenOnceAndRenewsItBeforeItExpires() throws Exception {
    try (FakeGitHub github = new FakeGitHub()) {
      MutableClock clock = new MutableClock(T0);
      github.now = clock::instant;
      github.installations.put("octo/app", 42L);
      GitHubApp app = new GitHubApp(github.url(), () -> AppKey.of(APP_ID, pem, "k"), clock);

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
  void aCollaboratorsPullRequestGetsOneCheckRunCompletedWithTheInstallationTokenOnEveryCall()
      throws Exception {
    String token = FakeGitHub.installationToken(1);
    try (FakeGitHub github = new FakeGitHub();
        PrivateRepo repo = new PrivateRepo(dir, "x-access-token", token)) {
      github.permissions.put("alice", "write");
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
      JsonNode run;
      String answers;
      try (TestServer t =
          TestServer.start(
              home,
              b ->
                  b.environment(
                      Map.of(
                          "ORCHESTRA_CREDENTIAL_GH_HOOK", PrivateRepo.SECRET,
                          "ORCHESTRA_CREDENTIAL_GH_APP_ID", APP_ID,
                          "ORCHESTRA_CREDENTIAL_GH_APP_KEY", pem)))) {
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
}
