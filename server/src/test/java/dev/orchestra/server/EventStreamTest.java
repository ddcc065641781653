package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.server.auth.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSE streams, read by a real client that drops the connection and comes back. */
class EventStreamTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir static Path home;
  static TestServer t;

  @BeforeAll
  static void start() {
    t = TestServer.start(home);
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  private static String chatty(String name, int lines) {
    return "version: 1\nname: "
        + name
        + "\nnodes:\n  talk:\n    agent: command\n    command: [sh, -c, 'i=0; while [ $i -lt "
        + lines
        + " ]; do echo line-$i; i=$((i+1)); case $i in *0) sleep 0.05;; esac; done']\n"
        + "  after:\n    needs: [talk]\n    agent: command\n    command: [echo, done]\n";
  }

  private static String submit(String yaml) {
    TestServer.Reply r =
        t.post("/api/v1/runs", Scope.RUN, "{\"yaml\": " + TestServer.quoted(yaml) + "}");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private static SseReader open(String path, String lastId) throws Exception {
    SseReader sse = SseReader.open(t.http, t.uri(path), t.tokens.get(Scope.READ), lastId);
    assertThat(sse.status).isEqualTo(200);
    return sse;
  }

  @Test
  void aClientThatReconnectsWithLastEventIdLosesAndRepeatsNoEvent() throws Exception {
    String id = submit(chatty("chatty", 400));
    List<SseReader.Frame> seen = new ArrayList<>();
    String last = null;
    boolean finished = false;
    int connections = 0;
    while (!finished) {
      connections++;
      try (SseReader sse = open("/api/v1/runs/" + id + "/events", last)) {
        // Read a few events, then drop the connection mid-stream (the last pass reads to the end).
        for (int i = 0; i < 37 && !finished; i++) {
          SseReader.Frame f = sse.next(WAIT);
          seen.add(f);
          last = f.id();
          assertThat(f.id()).isEqualTo(Long.toString(f.seq()));
          assertThat(f.event()).isEqualTo(f.json().get("type").asText());
          finished = "run_finished".equals(f.event());
        }
      }
    }
    assertThat(connections).isGreaterThan(3);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i).seq()).as("event %d", i).isEqualTo(i + 1L);
    }
    long lastSeq = t.get("/api/v1/runs/" + id, Scope.READ).json().get("last_seq").asLong();
    assertThat(seen).hasSize((int) lastSeq);
    assertThat(seen.stream().filter(f -> "node_output".equals(f.event())).count())
        .isGreaterThanOrEqualTo(400);

    // ?node= keeps that node's events only, from the start: its whole log.
    try (SseReader sse = open("/api/v1/runs/" + id + "/events?node=talk&after=0", null)) {
      List<SseReader.Frame> talk = sse.until(f -> "node_finished".equals(f.event()), WAIT);
      assertThat(talk).allSatisfy(f -> assertThat(f.json().get("node").asText()).isEqualTo("talk"));
      assertThat(talk.stream().filter(f -> "node_output".equals(f.event())).count())
          .isGreaterThanOrEqualTo(400);
    }

    // ?after= starts after that seq too, and a finished run's stream stays open with heartbeats.
    try (SseReader sse = open("/api/v1/runs/" + id + "/events?after=" + (lastSeq - 2), null)) {
      assertThat(sse.next(WAIT).seq()).isEqualTo(lastSeq - 1);
      assertThat(sse.next(WAIT).seq()).isEqualTo(lastSeq);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (sse.heartbeats == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(sse.heartbeats).isPositive();
    }
  }

  @Test
  void theServerWideStreamCarriesRunStartsEndsAndNodeStatusesAndReplaysAfterAReconnect()
      throws Exception {
    SseReader sse = open("/api/v1/events", null);
    String id = submit(chatty("global", 5));
    List<SseReader.Frame> mine = new ArrayList<>();
    String lastId = null;
    while (true) {
      SseReader.Frame f = sse.next(WAIT);
      if (!id.equals(f.json().get("run").asText())) {
        continue;
      }
      mine.add(f);
      if (f.event().equals("node_started")) {
        lastId = f.id();
        break;
      }
    }
    sse.close();
    assertThat(mine.get(0).event()).isEqualTo("run_started");
    try (SseReader again = open("/api/v1/events", lastId)) {
      List<SseReader.Frame> rest =
          again.until(
              f -> id.equals(f.json().get("run").asText()) && f.event().equals("run_finished"),
              WAIT);
      assertThat(Long.parseLong(rest.get(0).id())).isEqualTo(Long.parseLong(lastId) + 1);
      assertThat(rest).noneMatch(f -> f.event().equals("node_output"));
      for (int i = 1; i < rest.size(); i++) {
        assertThat(Long.parseLong(rest.get(i).id()))
            .isEqualTo(Long.parseLong(rest.get(i - 1).id()) + 1);
      }
    }
    // An id from before this server started cannot be replayed: the client is told to reload.
    try (SseReader old = open("/api/v1/events", "5")) {
      assertThat(old.next(WAIT).event()).isEqualTo("resync");
    }
  }

  @Test
  void aClientOfTheServerWideStreamBeforeItsFirstEventGetsThatEventAndNoResync() throws Exception {
    try (TestServer fresh = TestServer.start(home.resolve("fresh"))) {
      SseReader.Frame first;
      try (SseReader sse =
          SseReader.open(
              fresh.http, fresh.uri("/api/v1/events"), fresh.tokens.get(Scope.READ), null)) {
        TestServer.Reply r =
            fresh.post(
                "/api/v1/runs",
                Scope.RUN,
                "{\"yaml\": " + TestServer.quoted(chatty("first", 1)) + "}");
        assertThat(r.status()).isEqualTo(202);
        first = sse.next(WAIT);
      }
      assertThat(first.event()).isEqualTo("run_started");
    }
  }

  @Test
  void badStreamRequestsGetJsonErrors() {
    String id = submit(chatty("bad-stream", 1));
    TestServer.Reply noAccept = t.get("/api/v1/runs/" + id + "/events", Scope.READ);
    assertThat(noAccept.status()).isEqualTo(406);
    TestServer.Reply badId =
        t.send(
            t.request("/api/v1/runs/" + id + "/events", Scope.READ)
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", "abc")
                .build());
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().at("/error/message").asText()).contains("Last-Event-ID");
    TestServer.Reply unknown =
        t.send(
            t.request("/api/v1/runs/20990101-000000-0000/events", Scope.READ)
                .header("Accept", "text/event-stream")
                .build());
    assertThat(unknown.status()).isEqualTo(404);
  }
}
