package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.server.auth.Scope;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that runs its limit of runs answers further submissions 503 with Retry-After. */
class AdmissionTest {
  @TempDir Path home;

  private static String submit(String name) {
    return "{\"yaml\": " + TestServer.quoted(Workflows.gated(name)) + "}";
  }

  @Test
  void aSubmissionBeyondTheLimitGets503WithRetryAfterAndNothingStarts() throws Exception {
    try (TestServer t = TestServer.start(home, b -> b.limits(1, 0, Duration.ofMillis(100)))) {
      // The gated run waits for a decision: it holds the one slot until it is cancelled.
      TestServer.Reply first = t.post("/api/v1/runs", Scope.RUN, submit("held"));
      assertThat(first.status()).as(first.toString()).isEqualTo(202);
      String id = first.json().get("id").asText();
      int before = t.get("/api/v1/runs?limit=1000", Scope.READ).json().get("runs").size();

      TestServer.Reply refused = t.post("/api/v1/runs", Scope.RUN, submit("refused"));
      assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
      assertThat(refused.json().at("/error/code").asText()).isEqualTo("busy");
      assertThat(refused.json().at("/error/message").asText())
          .contains("runs 1 runs, its limit")
          .contains("nothing was started");
      assertThat(refused.response().headers().firstValue("Retry-After")).contains("1");
      assertThat(t.get("/api/v1/runs?limit=1000", Scope.READ).json().get("runs").size())
          .isEqualTo(before);

      assertThat(t.post("/api/v1/runs/" + id + "/cancel", Scope.RUN, "{}").status()).isEqualTo(202);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (t.server.activeRuns().contains(id) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      TestServer.Reply after = t.post("/api/v1/runs", Scope.RUN, submit("after"));
      assertThat(after.status()).as(after.toString()).isEqualTo(202);
    }
  }
}
