package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.server.auth.FileTokenStore;
import dev.orchestra.server.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process killed with {@code kill -9}, or stopped with SIGTERM, and started again on
 * the same home: its runs go on without running a succeeded node again, the processes the dead
 * server left are ended, and an approval gate survives.
 */
class RestartIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir Path home;
  final HttpClient http = HttpClient.newHttpClient();
  String token;

  /** A server JVM and its port. */
  record Server(Process process, int port) {
    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }
  }

  Server start(String name) throws Exception {
    Path portFile = home.resolve(name + ".port");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Leases that outlast the test: a restarted server resumes a killed one's runs
                // because it is the database's one server, not because their leases expired.
                "-Dorchestra.test.leaseTtl=PT1H",
                "-cp",
                System.getProperty("java.class.path"),
                ServerMain.class.getName(),
                home.toString(),
                portFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve(name + ".log").toFile())
            .start();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(portFile)) {
      assertThat(p.isAlive()).as("server %s died: %s", name, log(name)).isTrue();
      assertThat(System.nanoTime()).as("server %s did not start", name).isLessThan(deadline);
      Thread.sleep(50);
    }
    return new Server(p, Integer.parseInt(Files.readString(portFile).strip()));
  }

  private String log(String name) {
    try {
      return Files.readString(home.resolve(name + ".log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  HttpResponse<String> post(Server s, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(s.uri(path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode snapshot(Server s, String id) throws Exception {
    return TestServer.JSON.readTree(
        http.send(
                HttpRequest.newBuilder(s.uri("/api/v1/runs/" + id))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  SseReader events(Server s, String id, String after) throws Exception {
    return SseReader.open(http, s.uri("/api/v1/runs/" + id + "/events"), token, after);
  }

  private String workflow() {
    Path d = home.toAbsolutePath();
    return "version: 1\nname: durable\nnodes:\n"
        + "  first:\n    agent: command\n    command: [sh, -c, 'echo ran >> "
        + d.resolve("first.count")
        + "']\n"
        + "  wait:\n    needs: [first]\n    agent: command\n    command: [sh, -c, 'echo $$ >> "
        + d.resolve("wait.pids")
        + "; echo waiting; while [ ! -e "
        + d.resolve("go")
        + " ]; do sleep 0.1; done']\n"
        + "  gate:\n    needs: [first]\n    agent: command\n    command: [echo, gated]\n"
        + "    approval: {message: Deploy}\n"
        + "  end:\n    needs: [wait, gate]\n    agent: command\n    command: [echo, end]\n";
  }

  private String submit(Server s) throws Exception {
    HttpResponse<String> r =
        post(s, "/api/v1/runs", "{\"yaml\": " + TestServer.quoted(workflow()) + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return TestServer.JSON.readTree(r.body()).get("id").asText();
  }

  /**
   * Reads the run's events until both wait's attempt is running and the gate waits. Running means
   * its first output line: output becomes an event only once the attempt's process group is
   * recorded, while node_started (and the pid the shell writes) can come before that record is
   * committed, and a server killed then leaves a process that no resume can know of.
   */
  private long awaitWaitingAndGate(SseReader sse) throws Exception {
    boolean started = false;
    boolean gated = false;
    long seq = 0;
    while (!started || !gated) {
      SseReader.Frame f = sse.next(WAIT);
      seq = f.seq();
      String node = f.json().path("node").asText();
      started |= f.event().equals("node_output") && node.equals("wait");
      gated |= f.event().equals("node_waiting_approval");
    }
    return seq;
  }

  /**
   * The pid the node's shell wrote first: node_started comes before the shell has run, so this
   * waits (up to WAIT) for the line to be there.
   */
  private static long firstPid(Path file) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      String text = Files.exists(file) ? Files.readString(file) : "";
      if (text.contains("\n")) { // echo writes the whole line at once
        return Long.parseLong(text.substring(0, text.indexOf('\n')).strip());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the node wrote no pid into " + file + " within " + WAIT);
      }
      Thread.sleep(50);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aRunGoesOnAfterKill9OfTheServerWithItsApprovalGateAndWithoutRepeatingSucceededNodes()
      throws Exception {
    token = FileTokenStore.in(home).create("ops", Scope.RUN).secret();
    Server first = start("first");
    String id = submit(first);
    try (SseReader sse = events(first, id, null)) {
      awaitWaitingAndGate(sse);
    }
    long orphan = firstPid(home.resolve("wait.pids"));
    assertThat(alive(orphan)).isTrue();

    first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(alive(orphan)).as("the node's process outlives a kill -9 of its server").isTrue();

    Server second = start("second");
    try {
      try (SseReader sse = events(second, id, null)) {
        // The new server resumed the run: a resumed run_started, wait's process ended first.
        sse.until(
            f -> f.event().equals("run_started") && f.json().path("resumed").asBoolean(), WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (alive(orphan) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(alive(orphan)).as("the resume ends what the killed server left").isFalse();
        awaitWaitingAndGate(sse);
        HttpResponse<String> approve =
            post(second, "/api/v1/runs/" + id + "/nodes/gate/approve", "{\"comment\": \"ok\"}");
        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(200);
        Files.writeString(home.resolve("go"), "");
        List<SseReader.Frame> rest = sse.until(f -> f.event().equals("run_finished"), WAIT);
        assertThat(rest.get(rest.size() - 1).json().get("status").asText()).isEqualTo("succeeded");
      }
      assertThat(Files.readAllLines(home.resolve("first.count"))).hasSize(1);
      assertThat(Files.readAllLines(home.resolve("wait.pids"))).hasSize(2);
      JsonNode s = snapshot(second, id);
      assertThat(s.get("status").asText()).isEqualTo("succeeded");
      assertThat(s.get("nodes"))
          .allSatisfy(n -> assertThat(n.get("status").asText()).isEqualTo("succeeded"));
    } finally {
      second.process().destroyForcibly();
    }
  }

  @Test
  void sigtermStopsTheServerWithinTenSecondsAndTheNextStartResumesItsRuns() throws Exception {
    token = FileTokenStore.in(home).create("ops", Scope.RUN).secret();
    Server first = start("first");
    String id = submit(first);
    try (SseReader sse = events(first, id, null)) {
      awaitWaitingAndGate(sse);
    }
    long stopping = System.nanoTime();
    first.process().destroy(); // SIGTERM
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
    assertThat(log("first")).contains("the next start resumes them");

    Server second = start("second");
    try {
      try (SseReader sse = events(second, id, null)) {
        List<SseReader.Frame> before =
            sse.until(
                f -> f.event().equals("run_started") && f.json().path("resumed").asBoolean(), WAIT);
        assertThat(before)
            .anySatisfy(
                f -> {
                  assertThat(f.event()).isEqualTo("run_finished");
                  assertThat(f.json().get("status").asText()).isEqualTo("cancelled");
                });
        awaitWaitingAndGate(sse);
        assertThat(post(second, "/api/v1/runs/" + id + "/nodes/gate/approve", "{}").statusCode())
            .isEqualTo(200);
        Files.writeString(home.resolve("go"), "");
        List<SseReader.Frame> rest = sse.until(f -> f.event().equals("run_finished"), WAIT);
        assertThat(rest.get(rest.size() - 1).json().get("status").asText()).isEqualTo("succeeded");
      }
      assertThat(Files.readAllLines(home.resolve("first.count"))).hasSize(1);
    } finally {
      second.process().destroyForcibly();
    }
  }
}
