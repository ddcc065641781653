package dev.orchestra.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orchestra.server.auth.FileTokenStore;
import dev.orchestra.server.auth.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A real server on port 0 over a temporary Orchestra home, with one token per scope, and a real
 * HTTP client ({@code java.net.http}) to call it.
 */
final class TestServer implements AutoCloseable {
  static final JsonMapper JSON = new JsonMapper();

  final Path home;
  final OrchestraServer server;
  final Map<Scope, String> tokens = new EnumMap<>(Scope.class);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  private TestServer(Path home, OrchestraServer server) {
    this.home = home;
    this.server = server;
  }

  static TestServer start(Path home) {
    return start(home, b -> {});
  }

  static TestServer start(Path home, Consumer<OrchestraServer.Builder> options) {
    FileTokenStore store = FileTokenStore.in(home);
    Map<Scope, String> secrets = new EnumMap<>(Scope.class);
    for (Scope s : Scope.values()) {
      if (store.find(s.wireName()).isEmpty()) {
        secrets.put(s, store.create(s.wireName(), s).secret());
      }
    }
    OrchestraServer.Builder b =
        OrchestraServer.builder()
            .home(home)
            .port(0)
            .baseDirectory(home)
            .heartbeat(Duration.ofSeconds(1))
            .poll(Duration.ofMillis(200));
    options.accept(b);
    TestServer t = new TestServer(home, b.build().start());
    t.tokens.putAll(secrets);
    return t;
  }

  URI uri(String path) {
    return server.url().resolve(path);
  }

  HttpRequest.Builder request(String path, Scope scope) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    if (scope != null) {
      b.header("Authorization", "Bearer " + tokens.get(scope));
    }
    return b;
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends a request whose answer may be an endless event stream: reads the status and headers, then
   * closes the connection.
   */
  int statusOnly(HttpRequest request) {
    try {
      HttpResponse<java.io.InputStream> r =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      r.body().close();
      return r.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Reply get(String path, Scope scope) {
    return send(request(path, scope).GET().build());
  }

  Reply post(String path, Scope scope, String json) {
    return send(
        request(path, scope)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Reply put(String path, Scope scope, String json) {
    return send(
        request(path, scope)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Reply delete(String path, Scope scope) {
    return send(request(path, scope).DELETE().build());
  }

  /** The run's state once it has ended (not running, pending or unknown), within 90 s. */
  JsonNode finishedRun(String runId) {
    return await(
        "run " + runId + " finished",
        () -> {
          JsonNode run = get("/api/v1/runs/" + runId, Scope.READ).json();
          String s = run.path("status").asText();
          return s.equals("running") || s.equals("pending") || s.isEmpty() ? null : run;
        });
  }

  /** What {@code probe} gives once it gives something (not {@code null}), within 90 s. */
  static <T> T await(String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  /** A workflow's text as a JSON string value. */
  static String quoted(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  /** An answer. */
  record Reply(int status, String body, HttpResponse<String> response) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return "HTTP " + status + " " + body;
    }
  }
}
