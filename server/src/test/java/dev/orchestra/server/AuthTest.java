package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.server.auth.FileTokenStore;
import dev.orchestra.server.auth.Scope;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every registered route, as Javalin holds them: who may call it. */
class AuthTest {
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

  private static HttpRequest call(Routes.Route r, String token, String csrf) {
    HttpRequest.Builder b = HttpRequest.newBuilder(t.uri(r.example()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.header("Accept", r.path().endsWith("events") ? "text/event-stream" : "application/json");
    if (r.method().equals("GET") || r.method().equals("DELETE")) {
      b.method(r.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(r.method(), HttpRequest.BodyPublishers.ofString("{}"));
    }
    return b.build();
  }

  @Test
  void everyRouteButHealthAndLoginRefusesARequestWithoutAToken() {
    List<Routes.Route> routes = Routes.of(t.server);
    assertThat(routes).hasSizeGreaterThanOrEqualTo(25);
    for (Routes.Route r : routes) {
      TestServer.Reply reply = t.send(call(r, null, null));
      if (r.scope().isEmpty()) {
        // The webhook takes no token (GitHub has none): its HMAC signature guards it instead.
        assertThat(r.path())
            .as(r.toString())
            .isIn("/healthz", "/readyz", "/api/v1/session", "/webhooks/github");
        assertThat(reply.status()).as(r + ": " + reply).isNotIn(401, 403);
      } else {
        assertThat(reply.status()).as(r + ": " + reply).isEqualTo(401);
        assertThat(reply.json().at("/error/code").asText()).isEqualTo("unauthorized");
      }
    }
  }

  @Test
  void everyRouteRefusesAnUnknownToken() {
    for (Routes.Route r : Routes.of(t.server)) {
      if (r.scope().isPresent()) {
        TestServer.Reply reply = t.send(call(r, "orc_not-a-token", null));
        assertThat(reply.status()).as(r + ": " + reply).isEqualTo(401);
        assertThat(reply.body()).doesNotContain("orc_not-a-token");
      }
    }
  }

  @Test
  void everyRouteRefusesATokenOfTooSmallAScopeAndTakesOneOfItsScope() {
    int checked = 0;
    for (Routes.Route r : Routes.of(t.server)) {
      if (r.scope().isEmpty()) {
        continue;
      }
      Scope needed = r.scope().get();
      for (Scope s : Scope.values()) {
        if (s.includes(needed)) {
          int status = t.statusOnly(call(r, t.tokens.get(s), null));
          assertThat(status).as(r + " with " + s).isNotIn(401, 403);
        } else {
          TestServer.Reply reply = t.send(call(r, t.tokens.get(s), null));
          assertThat(reply.status()).as(r + " with " + s + ": " + reply).isEqualTo(403);
          assertThat(reply.json().at("/error/code").asText()).isEqualTo("scope");
          assertThat(reply.json().at("/error/message").asText())
              .contains("needs scope " + needed.wireName());
          checked++;
        }
      }
    }
    // run routes are refused to read tokens, admin routes to read and run tokens.
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  @Test
  void aBrowserSessionNeedsTheCsrfTokenToChangeAnythingAndEndsWithItsToken() throws Exception {
    FileTokenStore store = FileTokenStore.in(home);
    String secret = store.create("browser", Scope.RUN).secret();
    TestServer.Reply login =
        t.post("/api/v1/session", null, "{\"token\": " + TestServer.quoted(secret) + "}");
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    String setCookie = login.response().headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .contains("orchestra_session=")
        .contains("HttpOnly")
        .contains("SameSite=Strict");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = login.json().get("csrf_token").asText();
    assertThat(login.json().get("scope").asText()).isEqualTo("run");

    TestServer.Reply session =
        t.send(HttpRequest.newBuilder(t.uri("/api/v1/session")).header("Cookie", cookie).build());
    assertThat(session.json().get("csrf_token").asText()).isEqualTo(csrf);
    assertThat(session.json().get("token_name").asText()).isEqualTo("browser");

    String body = "{\"yaml\": " + TestServer.quoted("version: 1\nname: x\nnodes: {}\n") + "}";
    TestServer.Reply noCsrf =
        t.send(
            HttpRequest.newBuilder(t.uri("/api/v1/validate"))
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(noCsrf.status()).isEqualTo(403);
    assertThat(noCsrf.json().at("/error/code").asText()).isEqualTo("csrf");
    TestServer.Reply wrongCsrf =
        t.send(
            HttpRequest.newBuilder(t.uri("/api/v1/validate"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf + "x")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(wrongCsrf.status()).isEqualTo(403);
    TestServer.Reply withCsrf =
        t.send(
            HttpRequest.newBuilder(t.uri("/api/v1/validate"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(withCsrf.status()).as(withCsrf.toString()).isEqualTo(200);

    assertThat(store.revoke("browser")).isTrue();
    TestServer.Reply revoked =
        t.send(HttpRequest.newBuilder(t.uri("/api/v1/workflows")).header("Cookie", cookie).build());
    assertThat(revoked.status()).isEqualTo(401);
    TestServer.Reply bearer =
        t.send(
            HttpRequest.newBuilder(t.uri("/api/v1/workflows"))
                .header("Authorization", "Bearer " + secret)
                .build());
    assertThat(bearer.status()).isEqualTo(401);
  }

  @Test
  void aLoginWithABadTokenIsRefusedAndNoCorsHeadersAreSent() {
    TestServer.Reply bad = t.post("/api/v1/session", null, "{\"token\": \"orc_nope\"}");
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.response().headers().firstValue("Set-Cookie")).isEmpty();
    TestServer.Reply cross =
        t.send(
            t.request("/api/v1/workflows", Scope.READ)
                .header("Origin", "https://evil.example")
                .GET()
                .build());
    assertThat(cross.response().headers().map().keySet())
        .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
  }

  @Test
  void tokensAreStoredOnlyAsDigestsOwnerOnly() throws Exception {
    String file = Files.readString(home.resolve("tokens.json"));
    for (String secret : t.tokens.values()) {
      assertThat(file).doesNotContain(secret);
    }
    assertThat(Files.getPosixFilePermissions(home.resolve("tokens.json")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }
}
