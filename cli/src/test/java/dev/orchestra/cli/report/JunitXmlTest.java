package dev.orchestra.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.NodeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class JunitXmlTest {
  @TempDir Path dir;

  private Document write(RunReport report) throws Exception {
    Path xml = dir.resolve("out/TEST-demo.xml");
    JunitXml.write(report, xml);
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(getClass().getResource("jenkins-junit.xsd"))
        .newValidator()
        .validate(new StreamSource(xml.toFile()));
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
  }

  @Test
  void keepsTheFileReadableWhatEverTheCheckPrinted() throws Exception {
    Document doc = write(HtmlReportTest.report());

    Element failure = (Element) doc.getElementsByTagName("failure").item(0);
    assertThat(failure.getTextContent())
        .contains("</pre><script>alert(1)</script>red\uFFFD & done")
        .doesNotContain("\u001B");
    assertThat(failure.getAttribute("message")).isEqualTo("check 'unit tests' failed <again>");
  }

  @Test
  void reportsANodeThatCouldNotFinishAsAnErrorAndACancelledOneAsSkipped() throws Exception {
    RunReport report =
        Runs.of(HtmlReportTest.WORKFLOW)
            .failed("run timeout 10m exceeded")
            .node("plan", NodeStatus.SUCCEEDED, 1, null)
            .node("build", NodeStatus.TIMED_OUT, 1, "timed out after 5m\nthe agent was killed")
            .attempt("build", 1, "compiles", true, "", "")
            .node("lint", NodeStatus.CANCELLED, 0, "run timeout 10m exceeded")
            .node("test", NodeStatus.SKIPPED, 0, "upstream node 'build' timed_out")
            .node("deploy", NodeStatus.SKIPPED, 0, "upstream node 'test' skipped")
            .report();

    Document doc = write(report);

    Element suite = doc.getDocumentElement();
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(suite.getAttribute("skipped")).isEqualTo("3");
    Element error = (Element) doc.getElementsByTagName("error").item(0);
    assertThat(error.getAttribute("type")).isEqualTo("timed_out");
    assertThat(error.getAttribute("message")).isEqualTo("timed out after 5m");
    assertThat(error.getTextContent()).contains("the agent was killed");
    var skipped = doc.getElementsByTagName("skipped");
    assertThat(((Element) skipped.item(0)).getAttribute("message"))
        .isEqualTo("run timeout 10m exceeded");
    // Followed through the skipped node to the one that did not finish.
    assertThat(((Element) skipped.item(1)).getAttribute("message"))
        .isEqualTo("skipped: build timed out");
    assertThat(((Element) skipped.item(2)).getAttribute("message"))
        .isEqualTo("skipped: build timed out");
  }

  @Test
  void createsTheReportsDirectory() throws Exception {
    write(HtmlReportTest.report());

    assertThat(Files.readString(dir.resolve("out/TEST-demo.xml")))
        .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  }
}
