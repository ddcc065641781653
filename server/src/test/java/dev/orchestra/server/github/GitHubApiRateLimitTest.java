package dev.orchestra.server.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.orchestra.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GitHub's rate-limit headers against a scripted API, on a clock that the waits move forward
 * instead of sleeping: what each call waited and when (on that clock) each request arrived.
 */
class GitHubApiRateLimitTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** One answer of the scripted API. */
  record Answer(int status, Map<String, String> headers) {}

  final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  final List<Instant> arrived = new CopyOnWriteArrayList<>();
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  final MutableClock clock = new MutableClock(T0);
  HttpServer server;
  GitHubApi api;

  @BeforeEach
  void setUp() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          arrived.add(clock.instant());
          Answer a = script.poll();
          Answer answer = a == null ? new Answer(200, Map.of()) : a;
          answer.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
          byte[] body = "{\"permission\": \"write\"}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(answer.status(), body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.start();
    URI root = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    api =
        new GitHubApi(
            root,
            repo -> Optional.of("t0ken"),
            clock,
            d -> {
              waits.add(d);
              clock.advance(d);
            });
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  private static Answer exhausted(int status, Instant reset) {
    return new Answer(
        status,
        Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "" + reset.getEpochSecond()));
  }

  @Test
  void anAnswerWithNoneRemainingHoldsTheNextCallUntilTheReset() {
    script.add(exhausted(200, T0.plusSeconds(60)));
    assertThat(api.permission("octo/app", "alice")).isEqualTo(GitHubConfig.Permission.WRITE);
    assertThat(waits).isEmpty();
    api.permission("octo/app", "alice");
    assertThat(waits).containsExactly(Duration.ofSeconds(60));
    assertThat(arrived).containsExactly(T0, T0.plusSeconds(60));
    // The reset has passed: the next call goes at once.
    api.permission("octo/app", "alice");
    assertThat(waits).hasSize(1);
  }

  @Test
  void aRefusalWithNoneRemainingIsRetriedAfterTheReset() {
    script.add(exhausted(403, T0.plusSeconds(30)));
    assertThat(api.permission("octo/app", "alice")).isEqualTo(GitHubConfig.Permission.WRITE);
    assertThat(waits).containsExactly(Duration.ofSeconds(30));
    assertThat(arrived).containsExactly(T0, T0.plusSeconds(30));
  }

  @Test
  void aResetFarAwayHoldsACallAtMostMaxWait() {
    script.add(exhausted(200, T0.plus(Duration.ofHours(1))));
    api.permission("octo/app", "alice");
    api.permission("octo/app", "alice");
    assertThat(waits).containsExactly(GitHubApi.MAX_WAIT);
    assertThat(arrived).containsExactly(T0, T0.plus(GitHubApi.MAX_WAIT));
  }
}
