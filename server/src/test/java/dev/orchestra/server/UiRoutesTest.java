package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.web.WebUi;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's files at {@code /}, as a browser gets them (no token needed). */
class UiRoutesTest {
  private static final Pattern NONCE_META =
      Pattern.compile("<meta name=\"orchestra-style-nonce\" content=\"([A-Za-z0-9+/]+)\" />");
  private static final Pattern SCRIPT = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"");

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

  private static String nonceOf(TestServer.Reply page) {
    Matcher m = NONCE_META.matcher(page.body());
    assertThat(m.find()).as("the page's nonce meta element in %s", page.body()).isTrue();
    return m.group(1);
  }

  @Test
  void servesTheIndexPageWithAFreshStyleNonceInItsPolicyAndNeverCached() {
    TestServer.Reply first = t.get("/", null);
    TestServer.Reply second = t.get("/index.html", null);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).contains("<div id=\"root\"></div>");
    String nonce = nonceOf(first);
    assertThat(first.response().headers().firstValue("Content-Security-Policy"))
        .hasValue(
            "default-src 'self'; style-src 'self' 'nonce-"
                + nonce
                + "'; img-src 'self' data:; frame-ancestors 'none'");
    assertThat(first.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(first.response().headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(second.status()).isEqualTo(200);
    assertThat(nonceOf(second)).isNotEqualTo(nonce);
  }

  @Test
  void servesTheAssetsTheIndexPageLoadsCachedForAYear() {
    Matcher script = SCRIPT.matcher(t.get("/", null).body());
    assertThat(script.find()).isTrue();

    TestServer.Reply asset = t.get("/" + script.group(1), null);

    assertThat(asset.status()).isEqualTo(200);
    assertThat(asset.response().headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    assertThat(asset.response().headers().firstValue("Cache-Control"))
        .hasValue("public, max-age=31536000, immutable");
    assertThat(asset.response().headers().firstValue("Content-Security-Policy"))
        .hasValue(WebUi.CONTENT_SECURITY_POLICY);
  }

  @Test
  void answersPathsThatAreNoFileWithA404() {
    TestServer.Reply missing = t.get("/no-such-page.html", null);
    TestServer.Reply api = t.get("/api/v1/no-such-route", null);

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").path("message").asText())
        .isEqualTo("no such page: /no-such-page.html");
    assertThat(api.status()).isEqualTo(404);
    assertThat(api.json().path("error").path("message").asText())
        .contains("GET /api/v1/no-such-route");
  }
}
