package dev.orchestra.check;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The counts of one JUnit XML report (Surefire, Failsafe, Ant and Gradle write the same format: a
 * {@code testsuite} root, or {@code testsuites} around several), read with the JDK's parser with
 * DTDs and external entities disabled, since reports come from the agent's workspace.
 *
 * @param tests testcases, skipped ones included
 * @param skipped testcases with {@code <skipped/>}
 * @param failing testcases with a {@code <failure>} or an {@code <error>}
 */
record JunitReport(int tests, int skipped, int failures, int errors, List<FailingTest> failing) {

  /** A testcase that failed ({@code kind} {@code failure}) or erred ({@code error}). */
  record FailingTest(String name, String kind, String message) {}

  /** Parses {@code xml}, a report's bytes; the exception's message says what is wrong with it. */
  static JunitReport parse(byte[] xml) throws IOException, SAXException {
    Element root = parser().parse(new ByteArrayInputStream(xml)).getDocumentElement();
    String rootName = root.getTagName();
    if (!rootName.equals("testsuite") && !rootName.equals("testsuites")) {
      throw new SAXException(
          "the root element is <" + rootName + ">, expected <testsuite> or <testsuites>");
    }
    NodeList cases = root.getElementsByTagName("testcase");
    int skipped = 0;
    int failures = 0;
    int errors = 0;
    var failing = new ArrayList<FailingTest>();
    for (int i = 0; i < cases.getLength(); i++) {
      var testcase = (Element) cases.item(i);
      Element problem = null;
      for (Node child = testcase.getFirstChild(); child != null; child = child.getNextSibling()) {
        if (child instanceof Element e) {
          switch (e.getTagName()) {
            case "skipped" -> skipped++;
            case "failure" -> {
              failures++;
              problem = problem == null ? e : problem;
            }
            case "error" -> {
              errors++;
              problem = problem == null ? e : problem;
            }
            default -> {}
          }
        }
      }
      if (problem != null) {
        failing.add(new FailingTest(nameOf(testcase), problem.getTagName(), messageOf(problem)));
      }
    }
    return new JunitReport(cases.getLength(), skipped, failures, errors, List.copyOf(failing));
  }

  private static String nameOf(Element testcase) {
    String className = testcase.getAttribute("classname");
    String name = testcase.getAttribute("name");
    return className.isEmpty() ? name : className + "." + name;
  }

  /** The first lines of the message attribute, or of the element's text when it has none. */
  private static String messageOf(Element problem) {
    String message = problem.getAttribute("message");
    if (message.isBlank()) {
      message = problem.getTextContent();
    }
    if (message == null || message.isBlank()) {
      message = problem.getAttribute("type");
    }
    List<String> lines =
        message
            .strip()
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty())
            .limit(3)
            .map(line -> line.length() > 200 ? line.substring(0, 200) + "…" : line)
            .toList();
    return String.join("\n    ", lines);
  }

  private static DocumentBuilder parser() {
    var factory = DocumentBuilderFactory.newInstance();
    try {
      // Reports are written by whatever ran in the workspace: no DTDs, no entities, no fetching.
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      // The default handler prints parse errors to stderr; the exception carries them instead.
      builder.setErrorHandler(
          new DefaultHandler() {
            @Override
            public void error(org.xml.sax.SAXParseException e) throws SAXException {
              throw e;
            }
          });
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a hardening feature", e);
    }
  }
}
