package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code orchestra report} on a run recorded through the real CLI ({@link RecordedRun}). */
class ReportCommandTest {
  @TempDir static Path dir;
  private static RecordedRun run;

  @BeforeAll
  static void recordARun() throws Exception {
    run = RecordedRun.in(dir);
  }

  private static Element testcase(Document doc, String node) {
    NodeList cases = doc.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element e = (Element) cases.item(i);
      if (e.getAttribute("name").equals(node)) {
        return e;
      }
    }
    throw new AssertionError("no testcase " + node);
  }

  private static List<String> children(Element e) {
    List<String> names = new ArrayList<>();
    NodeList nodes = e.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element child) {
        names.add(child.getTagName());
      }
    }
    return names;
  }

  @Test
  void writesOneTestcasePerNodeThatTheJunitSchemaAccepts() throws Exception {
    Path xml = dir.resolve("reports/TEST-release.xml");
    CliRun r = run.report("--junit", xml.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).contains("wrote " + xml);
    assertThat(r.out()).isEmpty();
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(getClass().getResource("report/jenkins-junit.xsd"))
        .newValidator()
        .validate(new StreamSource(xml.toFile()));
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    Element suite = doc.getDocumentElement();
    assertThat(suite.getAttribute("name")).isEqualTo("release");
    assertThat(suite.getAttribute("tests")).isEqualTo("7");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("errors")).isEqualTo("0");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(7);
  }

  @Test
  void putsTheFailingChecksOutputInTheFailureAndEarlierAttemptsInReruns() throws Exception {
    Path xml = dir.resolve("failure.xml");
    run.report("--junit", xml.toString());
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());

    Element test = testcase(doc, "test");
    assertThat(children(test)).containsExactly("failure", "rerunFailure", "system-out");
    Element failure = (Element) test.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).contains("unit tests");
    assertThat(failure.getTextContent())
        .contains("attempt 2: check 'unit tests' failed")
        .contains("FAILED CartTest <total> expected 42 but was 41")
        .doesNotContain("\u001B");
    assertThat(test.getElementsByTagName("system-out").item(0).getTextContent())
        .contains("status: failed", "attempts: 2");
    assertThat(Double.parseDouble(test.getAttribute("time"))).isPositive();

    Element build = testcase(doc, "build");
    assertThat(children(build)).containsExactly("flakyFailure", "system-out");
    Element flaky = (Element) build.getElementsByTagName("flakyFailure").item(0);
    assertThat(flaky.getAttribute("message")).isEqualTo("attempt 1: check 'compiles' failed");
    assertThat(flaky.getTextContent()).contains("Main.java:3: error: missing semicolon");

    Element deploy = testcase(doc, "deploy");
    Element skipped = (Element) deploy.getElementsByTagName("skipped").item(0);
    assertThat(skipped.getAttribute("message")).isEqualTo("skipped: test failed");
    assertThat(children(testcase(doc, "plan"))).containsExactly("system-out");
  }

  @Test
  void writesThePageAndItsStylesheetIntoTheHtmlDirectory() throws Exception {
    Path out = dir.resolve("html");
    CliRun r = run.report("--html", out.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).contains("wrote " + out.resolve("index.html"));
    String page = Files.readString(out.resolve("index.html"));
    assertThat(out.resolve("report.css")).isNotEmptyFile();
    assertThat(page)
        .contains("<link rel=\"stylesheet\" href=\"report.css\">")
        .containsPattern("<a href=\"#node-test\" class=\"node status-failed\">")
        .containsPattern("<a href=\"#node-deploy\" class=\"node status-skipped\">")
        .contains("id=\"node-test\"")
        .contains("skipped: test failed")
        .contains("FAILED CartTest &lt;total&gt; expected 42 but was 41")
        .doesNotContain("<style", " style=", "<script");
    assertThat(page.split("class=\"node status-", -1)).hasSize(8);
  }

  @Test
  void printsTheRunInOneLineAndNothingElseOnStandardOutput() {
    CliRun r = run.report("--summary", "--junit", dir.resolve("s.xml").toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).isEqualTo("failed: 5/7 nodes, 1 failed (test), 1 skipped, 2 retries\n");
  }

  @Test
  void refusesAFileForTheHtmlDirectoryAndAskingForNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("report.html"), "old");
    CliRun html = run.report("--html", file.toString());
    assertThat(html.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(html.err()).contains("--html takes a directory", file.toString(), "is a file");

    CliRun nothing = run.report();
    assertThat(nothing.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(nothing.err()).contains("--junit FILE, --html DIR and/or --summary");
  }
}
