package dev.orchestra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WebUiTest {
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"\\./([^\"]+)\"");

  @Test
  void servesTheBuiltIndexPageAndEveryAssetItLoads() throws IOException {
    URL index = WebUi.resource("/").orElseThrow();
    String html;
    try (InputStream in = index.openStream()) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(html).contains("<div id=\"root\"></div>");
    List<String> assets = new ArrayList<>();
    Matcher m = ASSET.matcher(html);
    while (m.find()) {
      assets.add(m.group(1));
    }
    assertThat(assets)
        .as("index.html loads its script by a relative URL")
        .anyMatch(a -> a.endsWith(".js"));
    for (String asset : assets) {
      assertThat(WebUi.resource(asset)).as(asset).isPresent();
    }
  }

  @Test
  void writesTheIndexPageWithAFreshStyleNonceThatOnlyItsPolicyAllows() {
    WebUi.Page first = WebUi.index();
    WebUi.Page second = WebUi.index();

    Matcher meta =
        Pattern.compile("<head>\\n    <meta name=\"orchestra-style-nonce\" content=\"([^\"]+)\" />")
            .matcher(first.html());
    assertThat(meta.find()).as(first.html()).isTrue();
    String nonce = meta.group(1);
    assertThat(nonce).matches("[A-Za-z0-9+/]{24}");
    assertThat(first.contentSecurityPolicy())
        .isEqualTo(
            "default-src 'self'; style-src 'self' 'nonce-"
                + nonce
                + "'; img-src 'self' data:; frame-ancestors 'none'");
    assertThat(first.html()).contains("<div id=\"root\"></div>");
    assertThat(second.html()).doesNotContain(nonce);
    assertThat(WebUi.CONTENT_SECURITY_POLICY).doesNotContain("nonce").doesNotContain("unsafe");
  }

  @Test
  void refusesPathsThatLeaveTheRootOrNameNothing() {
    assertThat(WebUi.resource("../WebUi.class")).isEmpty();
    assertThat(WebUi.resource("assets/../../x")).isEmpty();
    assertThat(WebUi.resource(".hidden")).isEmpty();
    assertThat(WebUi.resource("assets\\x.js")).isEmpty();
    assertThat(WebUi.resource("no-such-file.js")).isEmpty();
    assertThat(WebUi.resource("index.html")).isPresent();
  }
}
