package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.secret.CredentialStore;
import dev.orchestra.server.auth.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunApiTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir static Path home;
  static TestServer t;

  @BeforeAll
  static void start() {
    t = TestServer.start(home);
    assertThat(
            t.put(
                    "/api/v1/workflows/pair",
                    Scope.RUN,
                    "{\"yaml\": " + TestServer.quoted(Workflows.pair("pair")) + "}")
                .status())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  /** Submits and returns the run id. */
  static String submit(String json) {
    return submit(t, json);
  }

  static String submit(TestServer t, String json) {
    TestServer.Reply r = t.post("/api/v1/runs", Scope.RUN, json);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.json().get("status").asText()).isEqualTo("running");
    return r.json().get("id").asText();
  }

  /** Follows the run's events until run_finished; returns them. */
  static List<SseReader.Frame> finish(String id) throws Exception {
    return finish(t, id);
  }

  static List<SseReader.Frame> finish(TestServer t, String id) throws Exception {
    try (SseReader sse =
        SseReader.open(
            t.http, t.uri("/api/v1/runs/" + id + "/events"), t.tokens.get(Scope.READ), null)) {
      assertThat(sse.status).isEqualTo(200);
      return sse.until(f -> "run_finished".equals(f.event()), WAIT);
    }
  }

  @Test
  void runsAStoredWorkflowWithInputsAndShowsItsSnapshotAttemptsAndRecords() throws Exception {
    String id = submit("{\"workflow\": \"pair\", \"inputs\": {\"word\": \"world\"}}");
    // Persisted before the answer: the snapshot exists at once.
    assertThat(t.get("/api/v1/runs/" + id, Scope.READ).status()).isEqualTo(200);
    List<SseReader.Frame> events = finish(id);
    assertThat(events.get(events.size() - 1).json().get("status").asText()).isEqualTo("succeeded");

    JsonNode s = t.get("/api/v1/runs/" + id, Scope.READ).json();
    assertThat(s.get("status").asText()).isEqualTo("succeeded");
    assertThat(s.at("/inputs/word").asText()).isEqualTo("world");
    assertThat(s.get("last_seq").asLong()).isEqualTo(events.get(events.size() - 1).seq());
    assertThat(s.get("nodes")).extracting(n -> n.get("id").asText()).containsExactly("a", "b");
    assertThat(s.at("/nodes/1/needs/0").asText()).isEqualTo("a");
    assertThat(s.at("/nodes/0/status").asText()).isEqualTo("succeeded");

    JsonNode attempts = t.get("/api/v1/runs/" + id + "/nodes/a/attempts", Scope.READ).json();
    assertThat(attempts.at("/attempts/0/attempt").asInt()).isEqualTo(1);
    assertThat(attempts.at("/attempts/0/status").asText()).isEqualTo("succeeded");
    TestServer.Reply stdout =
        t.get("/api/v1/runs/" + id + "/nodes/a/attempts/1/stdout", Scope.READ);
    assertThat(stdout.body()).contains("a-world");
    assertThat(stdout.response().headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain");
    assertThat(t.get("/api/v1/runs/" + id + "/nodes/a/attempts/1/transcript", Scope.READ).status())
        .isEqualTo(404);
    assertThat(t.get("/api/v1/runs/" + id + "/nodes/a/attempts/9/stdout", Scope.READ).status())
        .isEqualTo(404);
    assertThat(t.get("/api/v1/runs/" + id + "/nodes/a/diff", Scope.READ).status()).isEqualTo(404);
    assertThat(t.get("/api/v1/runs/" + id + "/nodes/zz/attempts", Scope.READ).status())
        .isEqualTo(404);
  }

  @Test
  void runsAnInlineWorkflowAndListsRunsNewestFirstInPages() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      ids.add(submit("{\"yaml\": " + TestServer.quoted(Workflows.pair("inline")) + "}"));
    }
    for (String id : ids) {
      finish(id);
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          t.get(
                  "/api/v1/runs?workflow=inline&status=succeeded&limit=2"
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  Scope.READ)
              .json();
      for (JsonNode r : page.get("runs")) {
        assertThat(seen.add(r.get("id").asText())).isTrue();
        assertThat(r.get("status").asText()).isEqualTo("succeeded");
        assertThat(r.at("/nodes/total").asInt()).isEqualTo(2);
        assertThat(r.at("/nodes/succeeded").asInt()).isEqualTo(2);
        assertThat(r.get("duration_ms").asLong()).isNotNegative();
      }
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(seen).isEqualTo(ids);
    assertThat(pages).isEqualTo(2);
    assertThat(t.get("/api/v1/runs?status=bogus", Scope.READ).status()).isEqualTo(400);
    assertThat(t.get("/api/v1/runs?cursor=nope", Scope.READ).status()).isEqualTo(400);
    assertThat(t.get("/api/v1/runs?since=yesterday", Scope.READ).status()).isEqualTo(400);
  }

  @Test
  void aFailedRunIsRetriedWithoutRunningItsSucceededNodesAgain() throws Exception {
    Path marker = home.resolve("fixed-marker");
    String id =
        submit("{\"yaml\": " + TestServer.quoted(Workflows.failsUntil("flaky", marker)) + "}");
    List<SseReader.Frame> first = finish(id);
    assertThat(first.get(first.size() - 1).json().get("status").asText()).isEqualTo("failed");
    assertThat(t.post("/api/v1/runs/" + id + "/resume", Scope.RUN, "").status()).isEqualTo(409);
    Files.writeString(marker, "");
    TestServer.Reply retry = t.post("/api/v1/runs/" + id + "/retry", Scope.RUN, "");
    assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
    try (SseReader sse =
        SseReader.open(
            t.http,
            t.uri("/api/v1/runs/" + id + "/events?after=" + first.get(first.size() - 1).seq()),
            t.tokens.get(Scope.READ),
            null)) {
      List<SseReader.Frame> again = sse.until(f -> "run_finished".equals(f.event()), WAIT);
      assertThat(again.get(0).json().get("resumed").asBoolean()).isTrue();
      assertThat(again.get(again.size() - 1).json().get("status").asText()).isEqualTo("succeeded");
    }
    assertThat(t.post("/api/v1/runs/" + id + "/retry", Scope.RUN, "").status()).isEqualTo(409);
    assertThat(t.delete("/api/v1/runs/" + id, Scope.ADMIN).status()).isEqualTo(204);
    assertThat(t.get("/api/v1/runs/" + id, Scope.READ).status()).isEqualTo(404);
  }

  @Test
  void anApprovalGateWaitsForADecisionRecordedUnderTheTokensName() throws Exception {
    String id = submit("{\"yaml\": " + TestServer.quoted(Workflows.gated("gated")) + "}");
    try (SseReader sse =
        SseReader.open(
            t.http, t.uri("/api/v1/runs/" + id + "/events"), t.tokens.get(Scope.READ), null)) {
      sse.until(f -> "node_waiting_approval".equals(f.event()), WAIT);
      JsonNode s = t.get("/api/v1/runs/" + id, Scope.READ).json();
      assertThat(s.at("/nodes/0/status").asText()).isEqualTo("waiting_approval");
      assertThat(s.at("/nodes/0/approval/message").asText()).isEqualTo("Ship it?");
      TestServer.Reply approve =
          t.post("/api/v1/runs/" + id + "/nodes/gate/approve", Scope.RUN, "{\"comment\": \"go\"}");
      assertThat(approve.status()).as(approve.toString()).isEqualTo(200);
      assertThat(approve.json().at("/decision/by").asText()).isEqualTo("run");
      assertThat(approve.json().get("changed").asBoolean()).isTrue();
      List<SseReader.Frame> rest = sse.until(f -> "run_finished".equals(f.event()), WAIT);
      assertThat(rest).anySatisfy(f -> assertThat(f.event()).isEqualTo("node_approved"));
      assertThat(rest.get(rest.size() - 1).json().get("status").asText()).isEqualTo("succeeded");
    }
    TestServer.Reply reject = t.post("/api/v1/runs/" + id + "/nodes/gate/reject", Scope.RUN, "{}");
    assertThat(reject.status()).isEqualTo(409);
    assertThat(reject.json().at("/error/message").asText()).contains("approved");
  }

  @Test
  void aRunningRunIsCancelled() throws Exception {
    String id =
        submit(
            "{\"yaml\": "
                + TestServer.quoted(
                    "version: 1\nname: slow\nnodes:\n  s:\n    agent: command\n"
                        + "    command: [sleep, '300']\n")
                + "}");
    try (SseReader sse =
        SseReader.open(
            t.http, t.uri("/api/v1/runs/" + id + "/events"), t.tokens.get(Scope.READ), null)) {
      sse.until(f -> "node_started".equals(f.event()), WAIT);
      TestServer.Reply cancel = t.post("/api/v1/runs/" + id + "/cancel", Scope.RUN, "");
      assertThat(cancel.status()).isEqualTo(202);
      List<SseReader.Frame> rest = sse.until(f -> "run_finished".equals(f.event()), WAIT);
      assertThat(rest.get(rest.size() - 1).json().get("status").asText()).isEqualTo("cancelled");
    }
    assertThat(t.post("/api/v1/runs/" + id + "/cancel", Scope.RUN, "").status()).isEqualTo(409);
  }

  @Test
  void aRunThisServerCannotStartGetsItsPreflightProblemsAsJsonAndStartsNothing() {
    int before = t.get("/api/v1/runs?limit=1000", Scope.READ).json().get("runs").size();
    TestServer.Reply r =
        t.post(
            "/api/v1/runs",
            Scope.RUN,
            "{\"yaml\": "
                + TestServer.quoted(
                    "version: 1\nname: needs-key\nnodes:\n  deploy:\n    agent: command\n"
                        + "    command: [sh, -c, \"touch ran\"]\n"
                        + "    credentials: [{TOKEN: preflight-api-key}]\n")
                + "}");

    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid");
    assertThat(r.json().at("/error/message").asText())
        .isEqualTo(
            "the workflow cannot start on this server: 1 problem to fix first; nothing was"
                + " started");
    JsonNode problem = r.json().at("/error/problems/0");
    assertThat(problem.get("file").isNull()).as(problem.toString()).isTrue();
    assertThat(problem.get("line").asInt()).isEqualTo(7);
    assertThat(problem.get("column").asInt()).isEqualTo(19);
    assertThat(problem.get("message").asText())
        .isEqualTo(
            "node 'deploy' needs credential 'preflight-api-key', which is neither in the"
                + " credential store nor in ORCHESTRA_CREDENTIAL_PREFLIGHT_API_KEY");
    assertThat(problem.get("hint").asText())
        .isEqualTo(
            "add it with `orchestra credentials add preflight-api-key` or set"
                + " ORCHESTRA_CREDENTIAL_PREFLIGHT_API_KEY");
    assertThat(home.resolve("ran")).doesNotExist();
    int after = t.get("/api/v1/runs?limit=1000", Scope.READ).json().get("runs").size();
    assertThat(after).isEqualTo(before);
  }

  @Test
  void aResumeOrRetryThisServerCannotStartGetsItsPreflightProblemsAndStartsNothing(
      @TempDir Path own) throws Exception {
    // A server of its own, whose credential store is in its own home.
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(CredentialStore.HOME_VARIABLE, own.toString());
    try (TestServer s = TestServer.start(own, b -> b.environment(env))) {
      resumeAndRetryArePreflighted(s, CredentialStore.at(own), own);
    }
  }

  private static void resumeAndRetryArePreflighted(
      TestServer t, CredentialStore credentials, Path home) throws Exception {
    credentials.put("continue-key", "continue-key-value");
    Path marker = home.resolve("continue-marker");
    String needsKey = "    credentials: [{TOKEN: continue-key}]\n";
    String cancelled =
        submit(
            t,
            "{\"yaml\": "
                + TestServer.quoted(
                    "version: 1\nname: slow-key\nnodes:\n  s:\n    agent: command\n"
                        + "    command: [sleep, '300']\n"
                        + needsKey)
                + "}");
    try (SseReader sse =
        SseReader.open(
            t.http,
            t.uri("/api/v1/runs/" + cancelled + "/events"),
            t.tokens.get(Scope.READ),
            null)) {
      sse.until(f -> "node_started".equals(f.event()), WAIT);
      assertThat(t.post("/api/v1/runs/" + cancelled + "/cancel", Scope.RUN, "").status())
          .isEqualTo(202);
      sse.until(f -> "run_finished".equals(f.event()), WAIT);
    }
    String failed =
        submit(
            t,
            "{\"yaml\": "
                + TestServer.quoted(
                    "version: 1\nname: flaky-key\nnodes:\n  f:\n    agent: command\n"
                        + "    attempts: 1\n"
                        + "    command: [sh, -c, 'test -e "
                        + marker
                        + "']\n"
                        + needsKey)
                + "}");
    List<SseReader.Frame> first = finish(t, failed);
    assertThat(first.get(first.size() - 1).json().get("status").asText()).isEqualTo("failed");
    credentials.remove("continue-key");
    Files.writeString(marker, "");

    TestServer.Reply resume = t.post("/api/v1/runs/" + cancelled + "/resume", Scope.RUN, "");
    TestServer.Reply retry = t.post("/api/v1/runs/" + failed + "/retry", Scope.RUN, "");

    assertThat(resume.status()).as(resume.toString()).isEqualTo(422);
    assertThat(resume.json().at("/error/message").asText())
        .isEqualTo(
            "run "
                + cancelled
                + " cannot be resumed on this server: 1 problem to fix first; nothing was"
                + " started");
    assertThat(retry.status()).as(retry.toString()).isEqualTo(422);
    assertThat(retry.json().at("/error/message").asText())
        .isEqualTo(
            "run "
                + failed
                + " cannot be retried on this server: 1 problem to fix first; nothing was"
                + " started");
    for (TestServer.Reply r : List.of(resume, retry)) {
      JsonNode problem = r.json().at("/error/problems/0");
      assertThat(problem.get("line").asInt()).as(problem.toString()).isEqualTo(r == resume ? 7 : 8);
      assertThat(problem.get("column").asInt()).isEqualTo(19);
      assertThat(problem.get("message").asText())
          .startsWith("node '")
          .endsWith(
              "' needs credential 'continue-key', which is neither in the credential store nor"
                  + " in ORCHESTRA_CREDENTIAL_CONTINUE_KEY");
    }
    assertThat(t.get("/api/v1/runs/" + cancelled, Scope.READ).json().get("status").asText())
        .isEqualTo("cancelled");
    assertThat(t.get("/api/v1/runs/" + failed, Scope.READ).json().get("status").asText())
        .isEqualTo("failed");

    credentials.put("continue-key", "continue-key-value");
    TestServer.Reply again = t.post("/api/v1/runs/" + failed + "/retry", Scope.RUN, "");
    assertThat(again.status()).as(again.toString()).isEqualTo(202);
    try (SseReader sse =
        SseReader.open(
            t.http,
            t.uri("/api/v1/runs/" + failed + "/events?after=" + first.get(first.size() - 1).seq()),
            t.tokens.get(Scope.READ),
            null)) {
      List<SseReader.Frame> rest = sse.until(f -> "run_finished".equals(f.event()), WAIT);
      assertThat(rest.get(0).json().get("resumed").asBoolean()).isTrue();
      assertThat(rest.get(rest.size() - 1).json().get("status").asText()).isEqualTo("succeeded");
    }
  }

  @Test
  void badSubmissionsGetClearJsonErrorsAndStartNothing() {
    int before = t.get("/api/v1/runs?limit=1000", Scope.READ).json().get("runs").size();
    TestServer.Reply malformed = t.post("/api/v1/runs", Scope.RUN, "{workflow: pair}");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().at("/error/message").asText()).contains("line 1, column");
    TestServer.Reply unknown = t.post("/api/v1/runs", Scope.RUN, "{\"workflow\": \"nope\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().at("/error/message").asText()).contains("nope");
    TestServer.Reply both =
        t.post("/api/v1/runs", Scope.RUN, "{\"workflow\": \"pair\", \"yaml\": \"x\"}");
    assertThat(both.status()).isEqualTo(400);
    TestServer.Reply invalid =
        t.post(
            "/api/v1/runs",
            Scope.RUN,
            "{\"yaml\": "
                + TestServer.quoted("version: 1\nname: bad\nnodes:\n  a:\n    needs: [b]\n")
                + "}");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.json().at("/error/problems/0/line").asInt()).isPositive();
    TestServer.Reply missingInput =
        t.post(
            "/api/v1/runs",
            Scope.RUN,
            "{\"yaml\": "
                + TestServer.quoted(
                    "version: 1\nname: needs-input\ninputs:\n  task: {required: true}\nnodes:\n"
                        + "  a:\n    agent: command\n    command: [echo, '{{ inputs.task }}']\n")
                + "}");
    assertThat(missingInput.status()).isEqualTo(422);
    assertThat(missingInput.json().at("/error/problems/0/message").asText()).contains("task");
    TestServer.Reply badInputs =
        t.post("/api/v1/runs", Scope.RUN, "{\"workflow\": \"pair\", \"inputs\": [1]}");
    assertThat(badInputs.status()).isEqualTo(400);
    String huge = "{\"yaml\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    assertThat(t.post("/api/v1/runs", Scope.RUN, huge).status()).isEqualTo(413);
    TestServer.Reply badToken =
        t.send(
            t.request("/api/v1/runs", null)
                .header("Authorization", "Bearer nope")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"workflow\": \"pair\"}"))
                .build());
    assertThat(badToken.status()).isEqualTo(401);
    assertThat(t.get("/api/v1/runs/nope-run", Scope.READ).status()).isEqualTo(404);
    int after = t.get("/api/v1/runs?limit=1000", Scope.READ).json().get("runs").size();
    assertThat(after).isEqualTo(before);
  }
}
