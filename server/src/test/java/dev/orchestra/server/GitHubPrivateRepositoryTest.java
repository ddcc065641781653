package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.server.auth.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private repository with an API token: the server's mirror fetches it over smart HTTP with the
 * token as the password of {@code x-access-token} (the git server refuses anything else), and the
 * token appears in no log line, record or API answer.
 */
class GitHubPrivateRepositoryTest {
  static final String TOKEN = "ghp_privaterepotoken42";

  @TempDir Path home;
  @TempDir Path dir;

  @Test
  void theMirrorFetchesWithTheTokenAndTheRunSucceeds() throws Exception {
    try (FakeGitHub github = new FakeGitHub();
        PrivateRepo repo = new PrivateRepo(dir, "x-access-token", TOKEN)) {
      github.permissions.put("alice", "write");
      Files.writeString(
          home.resolve("github.json"),
          "{\"webhook_secrets\": [\"gh-hook\"], \"token\": \"gh-token\", \"api_url\": \""
              + github.url()
              + "\", \"repositories\": {\"octo/app\": {\"clone_url\": \""
              + repo.cloneUrl()
              + "\"}}}");
      try (TestServer t =
          TestServer.start(
              home,
              b ->
                  b.environment(
                      Map.of(
                          "ORCHESTRA_CREDENTIAL_GH_HOOK",
                          PrivateRepo.SECRET,
                          "ORCHESTRA_CREDENTIAL_GH_TOKEN",
                          TOKEN)))) {
        String sha = repo.pushHead(3);
        assertThat(PrivateRepo.deliver(t, "pull_request", PrivateRepo.opened(3, sha, 0), "p-1"))
            .extracting(TestServer.Reply::status)
            .isEqualTo(202);
        JsonNode run = PrivateRepo.finishedRunOf(t, "p-1");
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        // Asked without credentials first (401), then with the token's user; never refused.
        assertThat(repo.server.users()).contains("x-access-token").doesNotContain("?");
        String answers =
            t.get("/api/v1/deliveries", Scope.READ).body()
                + t.get("/api/v1/runs/" + run.path("id").asText(), Scope.READ).body();
        assertThat(answers).doesNotContain(TOKEN);
      }
      assertThat(PrivateRepo.filesHolding(home, TOKEN)).isEmpty();
      assertThat(repo.log()).contains("listening on").doesNotContain(TOKEN);
    }
  }
}
