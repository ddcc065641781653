package dev.orchestra.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real SSE client: reads {@code id:}, {@code event:} and {@code data:} lines off an HTTP
 * connection on its own thread and hands each complete event over; {@link #close()} drops the
 * connection as a browser does when it goes away.
 */
final class SseReader implements AutoCloseable {
  /** One event as received. */
  record Frame(String id, String event, String data) {
    JsonNode json() {
      try {
        return TestServer.JSON.readTree(data);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + data, e);
      }
    }

    long seq() {
      return json().get("seq").asLong();
    }
  }

  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final InputStream body;
  private final Thread reader;
  final int status;
  volatile int heartbeats;

  private SseReader(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.body = response.body();
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to {@code uri} with {@code token}, sending {@code lastEventId} when not null. */
  static SseReader open(HttpClient http, URI uri, String token, String lastEventId)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + token);
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return new SseReader(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = null;
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (data != null) {
            frames.add(new Frame(id, event, data.toString()));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          heartbeats++;
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(6));
        }
      }
    } catch (IOException e) {
      // Closed by close(), or by the server: the stream ends.
    }
  }

  /** The next event, waiting up to {@code timeout}; fails when none came. */
  Frame next(Duration timeout) throws InterruptedException {
    Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (f == null) {
      throw new AssertionError("no event within " + timeout);
    }
    return f;
  }

  /** Events until one matches {@code last} (included), each within {@code timeout}. */
  java.util.List<Frame> until(Predicate<Frame> last, Duration timeout) throws InterruptedException {
    java.util.List<Frame> all = new java.util.ArrayList<>();
    while (true) {
      Frame f = next(timeout);
      all.add(f);
      if (last.test(f)) {
        return all;
      }
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // Already closed.
    }
    reader.interrupt();
  }
}
