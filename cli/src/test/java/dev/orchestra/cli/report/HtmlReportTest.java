package dev.orchestra.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.NodeStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  static final String WORKFLOW =
      """
      version: 1
      name: demo
      defaults: {agent: command}
      nodes:
        plan: {command: echo}
        build: {needs: [plan], command: echo}
        lint: {needs: [plan], command: echo}
        test: {needs: [build], command: echo}
        deploy: {needs: [test, lint], command: echo}
      """;

  static final String HOSTILE =
      "</pre><script>alert(1)</script>\u001B[31mred\u001B[0m\u0007 & done";

  static RunReport report() {
    return Runs.of(WORKFLOW)
        .failed("nodes did not succeed: test")
        .node("plan", NodeStatus.SUCCEEDED, 1, null, Runs.usage(30_000, 11_200, "0.42"))
        .node("build", NodeStatus.SUCCEEDED, 2, null)
        .attempt("build", 1, "compiles", false, "Main.java:3: error", "")
        .attempt("build", 2, "compiles", true, "", "")
        .node("lint", NodeStatus.SUCCEEDED, 1, null)
        .node("test", NodeStatus.FAILED, 2, "check 'unit tests' failed <again>")
        .attempt("test", 1, "unit tests", false, "first try", "")
        .attempt("test", 2, "unit tests", false, HOSTILE, "")
        .node("deploy", NodeStatus.SKIPPED, 0, "upstream node 'test' failed")
        .report();
  }

  private static String page() {
    RunReport report = report();
    return HtmlReport.page(
        report, LayeredLayout.layout(report.graph(), LayeredLayout.Options.defaults()));
  }

  private static Document svg(String page) throws Exception {
    String svg = page.substring(page.indexOf("<svg"), page.indexOf("</svg>") + 6);
    var factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void drawsOneLinkedBoxPerNodeAndOnePathPerEdge() throws Exception {
    Document svg = svg(page());

    NodeList links = svg.getElementsByTagName("a");
    assertThat(links.getLength()).isEqualTo(5);
    List<String> classes = new ArrayList<>();
    for (int i = 0; i < links.getLength(); i++) {
      Element a = (Element) links.item(i);
      classes.add(a.getAttribute("class"));
      assertThat(a.getElementsByTagName("rect").getLength()).isEqualTo(1);
      assertThat(a.getElementsByTagName("text").getLength()).isEqualTo(3);
    }
    assertThat(classes)
        .containsExactly(
            "node status-succeeded",
            "node status-succeeded",
            "node status-succeeded",
            "node status-failed",
            "node status-skipped");
    List<String> edges = new ArrayList<>();
    NodeList paths = svg.getElementsByTagName("path");
    for (int i = 0; i < paths.getLength(); i++) {
      Element p = (Element) paths.item(i);
      if (p.getAttribute("class").startsWith("edge")) {
        edges.add(p.getTextContent() + " " + p.getAttribute("class"));
      }
    }
    assertThat(edges)
        .containsExactlyInAnyOrder(
            "build needs plan edge",
            "lint needs plan edge",
            "test needs build edge",
            "deploy needs test edge edge-blocked",
            "deploy needs lint edge");
  }

  @Test
  void showsEachNodesStatusAttemptsDurationTokensAndCostInItsBox() {
    String page = page();

    assertThat(page)
        .contains(">plan</text>")
        .contains(">succeeded · 1 attempt</text>")
        .contains(">1.2s · 41.2k tok · $0.42</text>")
        .contains(">failed · 2 attempts</text>")
        .contains(">skipped</text><text class=\"node-usage\"");
  }

  @Test
  void linksEveryNodeToAnElementOfThePage() {
    String page = page();
    Matcher href = Pattern.compile("href=\"#([^\"]+)\"").matcher(page);
    int links = 0;
    while (href.find()) {
      links++;
      assertThat(page).contains("id=\"" + href.group(1) + "\"");
    }
    assertThat(links).isGreaterThanOrEqualTo(5);
    // The failed node's section holds its failing check's output, open.
    String section =
        page.substring(
            page.indexOf("<section class=\"node-detail status-failed\" id=\"node-test\">"));
    assertThat(section)
        .contains(
            "<details class=\"attempt\" open><summary>attempt 2: check &#39;unit tests&#39; failed")
        .contains(
            "<details class=\"attempt\"><summary>attempt 1: check &#39;unit tests&#39; failed");
  }

  @Test
  void usesNoInlineStyleScriptOrExternalResource() {
    String page = page();

    assertThat(page).doesNotContain("<style", "style=", "<script", "javascript:", "@import");
    assertThat(page.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("http:", "https:", "//");
    assertThat(page).containsOnlyOnce("<link rel=\"stylesheet\" href=\"report.css\">");
  }

  @Test
  void escapesTextFromTheRunAndDropsControlCharacters() {
    String page = page();

    assertThat(page)
        .contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;red\uFFFD &amp; done")
        .contains("check &#39;unit tests&#39; failed &lt;again&gt;")
        .doesNotContain("\u001B", "\u0007", "alert(1)</script>");
  }

  @Test
  void showsTheRunsTotalsOnTop() {
    String page = page();
    String header = page.substring(0, page.indexOf("</header>"));

    assertThat(header)
        .contains("<h1>demo <span class=\"badge status-failed\">failed</span></h1>")
        .contains("<dt>duration</dt><dd>1m23s</dd>")
        .contains("<dt>nodes</dt><dd>3 of 5 succeeded</dd>")
        .contains("<dt>failed</dt><dd>1</dd>")
        .contains("<dt>skipped</dt><dd>1</dd>")
        .contains("<dt>retries</dt><dd>2</dd>")
        .contains("<dt>tokens</dt><dd>41200</dd>")
        .contains("<dt>cost</dt><dd>$0.4200</dd>")
        .contains("nodes did not succeed: test");
  }

  @Test
  void writesThePageAndTheStylesheetItLinks(@TempDir Path dir) throws Exception {
    Path page = HtmlReport.write(report(), dir.resolve("report"));

    assertThat(page).isEqualTo(dir.resolve("report/index.html"));
    assertThat(Files.readString(dir.resolve("report/report.css")))
        .contains(".dag .status-failed .box")
        .contains(".graph {");
  }
}
