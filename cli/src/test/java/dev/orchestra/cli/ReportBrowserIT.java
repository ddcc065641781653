package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.cli.browser.Chromium;
import dev.orchestra.cli.browser.CspServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in real Chromium, served as Jenkins serves archived HTML: with its default
 * Content-Security-Policy. Leaves a screenshot in {@code target/browser/report.png} (the copy in
 * {@code docs/images/} comes from here).
 */
class ReportBrowserIT {
  @TempDir Path dir;

  private static List<String> texts(JsonNode array, String field) {
    List<String> texts = new ArrayList<>();
    array.forEach(e -> texts.add(field == null ? e.toString() : e.path(field).asText()));
    return texts;
  }

  @Test
  void rendersTheDagWithItsStylesheetUnderJenkinsContentSecurityPolicy() throws Exception {
    Chromium chromium = Chromium.find();
    RecordedRun run = RecordedRun.in(dir);
    Path html = dir.resolve("html");
    CliRun r = run.report("--html", html.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    Path screenshot = Path.of("target/browser/report.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);

    JsonNode result;
    try (CspServer server = CspServer.serve(html, CspServer.JENKINS_CSP)) {
      ObjectNode spec = Chromium.spec().put("url", server.url("index.html").toString());
      spec.putObject("viewport").put("width", 1200).put("height", 820);
      spec.putObject("counts")
          .put("graphs", "svg.dag")
          .put("boxes", "svg.dag a.node")
          .put("failedBoxes", "svg.dag a.node.status-failed")
          .put("edges", "svg.dag path.edge")
          .put("failureSections", "section.node-detail");
      ObjectNode styles = spec.putObject("styles");
      styles
          .putObject("failedBox")
          .put("selector", "svg.dag a.node.status-failed rect.box")
          .putArray("properties")
          .add("fill")
          .add("stroke");
      styles
          .putObject("skippedBox")
          .put("selector", "svg.dag a.node.status-skipped rect.box")
          .putArray("properties")
          .add("stroke-dasharray");
      styles
          .putObject("graphFrame")
          .put("selector", "div.graph")
          .putArray("properties")
          .add("overflow-x");
      spec.putObject("screenshot").put("path", screenshot.toString()).put("fullPage", false);
      result = chromium.check(spec, dir.resolve("browser"));
    }

    assertThat(result.path("status").asInt()).isEqualTo(200);
    assertThat(texts(result.path("console"), null)).as("console messages").isEmpty();
    assertThat(texts(result.path("pageErrors"), null)).as("page errors").isEmpty();
    assertThat(texts(result.path("failedRequests"), "url")).as("failed requests").isEmpty();
    assertThat(result.path("responses").toString()).contains("/report.css\",\"status\":200");
    JsonNode counts = result.path("counts");
    assertThat(counts.path("graphs").asInt()).isEqualTo(1);
    assertThat(counts.path("boxes").asInt()).isEqualTo(7);
    assertThat(counts.path("failedBoxes").asInt()).isEqualTo(1);
    assertThat(counts.path("edges").asInt()).isEqualTo(8);
    assertThat(counts.path("failureSections").asInt()).isEqualTo(3);
    // The colours come from report.css: the SVG's own attributes say white and grey.
    JsonNode styles = result.path("styles");
    assertThat(styles.path("failedBox").path("fill").asText()).isEqualTo("rgb(252, 232, 230)");
    assertThat(styles.path("failedBox").path("stroke").asText()).isEqualTo("rgb(217, 48, 37)");
    assertThat(styles.path("skippedBox").path("stroke-dasharray").asText()).isEqualTo("5px, 3px");
    assertThat(styles.path("graphFrame").path("overflow-x").asText()).isEqualTo("auto");
    assertThat(screenshot).isNotEmptyFile();
    assertThat(result.path("title").asText()).startsWith("release · run ");
  }

  @Test
  void seesTheViolationsOfAPageThatBreaksThePolicy() throws Exception {
    // The control: without it, an empty console above could mean the check sees nothing.
    Chromium chromium = Chromium.find();
    Path site = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(
        site.resolve("index.html"),
        "<!DOCTYPE html><html><head><style>p{color:red}</style></head>"
            + "<body><p style=\"margin:0\">x</p><script>document.title='ran'</script></body></html>");

    JsonNode result;
    try (CspServer server = CspServer.serve(site, CspServer.JENKINS_CSP)) {
      result =
          chromium.check(
              Chromium.spec().put("url", server.url("index.html").toString()), dir.resolve("b"));
    }

    assertThat(texts(result.path("console"), "text"))
        .anyMatch(t -> t.contains("Content Security Policy") && t.contains("inline style"))
        .anyMatch(t -> t.contains("Blocked script execution") && t.contains("sandboxed"));
    assertThat(result.path("title").asText()).isEmpty();
  }
}
