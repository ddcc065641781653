package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.server.auth.FileTokenStore;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.testing.PostgresCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real server processes on one PostgreSQL (a throwaway cluster): one is killed with {@code kill
 * -9} while its runs wait mid-way, the other takes them over once their leases expire, and every
 * node of the 50 runs completes exactly once.
 */
class TwoServersIT {
  static final Duration WAIT = Duration.ofSeconds(180);
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  record Server(Process process, int port, String token) {
    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }
  }

  private Server start(String name, String url, String password) throws Exception {
    Path home = dir.resolve(name);
    Files.createDirectories(home);
    String token = FileTokenStore.in(home).create("ops", Scope.RUN).secret();
    Path portFile = home.resolve("port");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ServerMain.class.getName(),
                home.toString(),
                portFile.toString(),
                url,
                dir.resolve("blobs").toString())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("log").toFile());
    pb.environment().put("ORCHESTRA_DB_PASSWORD", password);
    pb.environment().put("ORCHESTRA_DB_USER", PostgresCluster.USER);
    Process p = pb.start();
    await(() -> Files.exists(portFile) || !p.isAlive(), "server " + name + " to listen");
    assertThat(p.isAlive())
        .as("server %s: %s", name, Files.readString(home.resolve("log")))
        .isTrue();
    return new Server(p, Integer.parseInt(Files.readString(portFile).strip()), token);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private List<String> log(String kind) {
    try {
      Path log = dir.resolve("nodes.log");
      if (!Files.exists(log)) {
        return List.of();
      }
      List<String> runs = new ArrayList<>();
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith(kind + " ")) {
          runs.add(line.substring(kind.length() + 1));
        }
      }
      return runs;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private String status(Server s, String id) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(s.uri("/api/v1/runs/" + id))
                  .header("Authorization", "Bearer " + s.token())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return TestServer.JSON.readTree(r.body()).path("status").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void theSurvivorTakesOverTheRunsOfAKilledServerAndEveryNodeCompletesOnce() throws Exception {
    try (PostgresCluster pg = PostgresCluster.start(Map.of("fsync", "off"))) {
      String url = pg.createDatabase();
      Server a = start("a", url, pg.password());
      Server b = start("b", url, pg.password());
      Path log = dir.resolve("nodes.log");
      Path go = dir.resolve("go");
      String yaml =
          "version: 1\nname: shared\nnodes:\n"
              + "  one:\n    agent: command\n    command: [sh, -c, 'echo \"one $ORCHESTRA_RUN\" >> "
              + log
              + "']\n"
              + "  two:\n    needs: [one]\n    agent: command\n    command: [sh, -c, 'echo"
              + " \"two-start $ORCHESTRA_RUN\" >> "
              + log
              + "; while [ ! -e "
              + go
              + " ]; do sleep 0.2; done; echo \"two-done $ORCHESTRA_RUN\" >> "
              + log
              + "']\n";
      String body = "{\"yaml\": " + TestServer.quoted(yaml) + "}";
      Map<String, Server> runs = new HashMap<>();
      try {
        for (int i = 0; i < 50; i++) {
          Server s = i % 2 == 0 ? a : b;
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(s.uri("/api/v1/runs"))
                      .header("Authorization", "Bearer " + s.token())
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
          runs.put(TestServer.JSON.readTree(r.body()).get("id").asText(), s);
        }
        await(() -> log("two-start").size() == 50, "every run's second node to start");

        a.process().destroyForcibly(); // kill -9: a's 25 runs keep their leases until they expire
        assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        await(() -> log("two-start").size() == 75, "b to take over a's runs and start them again");
        Files.writeString(go, "");
        await(
            () -> runs.keySet().stream().allMatch(id -> "succeeded".equals(status(b, id))),
            "every run to succeed");
      } finally {
        // Whatever failed: no server outlives the test, and the nodes' loops end (a server killed
        // with -9 leaves its nodes' process groups behind).
        a.process().destroyForcibly();
        b.process().destroyForcibly();
        if (!Files.exists(go)) {
          Files.writeString(go, "");
        }
      }

      assertThat(log("one")).hasSize(50).doesNotHaveDuplicates();
      assertThat(log("one")).containsExactlyInAnyOrderElementsOf(runs.keySet());
      assertThat(log("two-done")).hasSize(50).doesNotHaveDuplicates();
    }
  }
}
