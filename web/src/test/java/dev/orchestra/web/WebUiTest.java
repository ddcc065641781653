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
  void refusesPathsThatLeaveTheRootOrNameNothing() {
    assertThat(WebUi.resource("../WebUi.class")).isEmpty();
    assertThat(WebUi.resource("assets/../../x")).isEmpty();
    assertThat(WebUi.resource(".hidden")).isEmpty();
    assertThat(WebUi.resource("assets\\x.js")).isEmpty();
    assertThat(WebUi.resource("no-such-file.js")).isEmpty();
    assertThat(WebUi.resource("index.html")).isPresent();
  }
}
