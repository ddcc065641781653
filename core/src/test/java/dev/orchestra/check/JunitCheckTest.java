package dev.orchestra.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.exec.LocalExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JunitCheckTest {
  @TempDir Path workspace;
  private Path reports;

  @BeforeEach
  void createReportsDirectory() throws Exception {
    reports = Files.createDirectories(workspace.resolve("target/surefire-reports"));
  }

  private CheckResult check(int minTests) throws InterruptedException {
    return Checks.junit("target/surefire-reports/*.xml", minTests)
        .run(new CheckContext("r", "n", 1, workspace, "", new LocalExecutor(), Map.of()));
  }

  private void report(String file, String xml) throws Exception {
    Files.writeString(reports.resolve(file), xml);
  }

  private static String suite(String name, String cases) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\""
        + name
        + "\">"
        + cases
        + "</testsuite>";
  }

  private static String passing(String name) {
    return "<testcase classname=\"app.CalcTest\" name=\"" + name + "\" time=\"0.01\"/>";
  }

  @Test
  void passesWhenReportsHoldEnoughPassingTests() throws Exception {
    report("TEST-app.CalcTest.xml", suite("app.CalcTest", passing("adds") + passing("subtracts")));
    report(
        "TEST-app.IoTest.xml",
        "<testsuites>"
            + suite("app.IoTest", passing("reads")).replaceFirst("<\\?xml[^>]*>", "")
            + "</testsuites>");

    CheckResult result = check(3);

    assertThat(result.passed()).isTrue();
    assertThat(result.check()).isEqualTo("junit: target/surefire-reports/*.xml");
    assertThat(result.output()).isEqualTo("3 tests, 0 failures, 0 errors, 0 skipped in 2 reports");
  }

  @Test
  void failsNamingFailingAndErringTestcasesWithTheirMessages() throws Exception {
    report(
        "TEST-app.CalcTest.xml",
        suite(
            "app.CalcTest",
            passing("adds")
                + "<testcase classname=\"app.CalcTest\" name=\"divides\">"
                + "<failure message=\"expected: 2 but was: 3\" type=\"AssertionError\">"
                + "stack trace here</failure></testcase>"
                + "<testcase classname=\"app.CalcTest\" name=\"parses\">"
                + "<error type=\"java.lang.NullPointerException\">"
                + "java.lang.NullPointerException: input\n\tat app.Calc.parse(Calc.java:9)\n"
                + "\tat a\n\tat b\n</error></testcase>"));

    CheckResult result = check(1);

    assertThat(result.passed()).isFalse();
    assertThat(result.output())
        .isEqualTo(
            "3 tests, 1 failure, 1 error, 0 skipped in 1 report\n"
                + "FAILURE app.CalcTest.divides: expected: 2 but was: 3\n"
                + "ERROR app.CalcTest.parses: java.lang.NullPointerException: input\n"
                + "    at app.Calc.parse(Calc.java:9)\n"
                + "    at a");
  }

  @Test
  void failsWhenTooFewTestsRanNotCountingSkippedOnes() throws Exception {
    report(
        "TEST-app.CalcTest.xml",
        suite(
            "app.CalcTest",
            passing("adds")
                + "<testcase classname=\"app.CalcTest\" name=\"later\"><skipped/></testcase>"));

    CheckResult result = check(2);

    assertThat(result.passed()).isFalse();
    assertThat(result.output())
        .isEqualTo(
            "2 tests, 0 failures, 0 errors, 1 skipped in 1 report\n"
                + "expected at least 2 tests to run, 1 ran");
  }

  @Test
  void failsNamingTheFileAndTheParseErrorOfBadXml() throws Exception {
    report("TEST-good.xml", suite("good", passing("adds")));
    report("TEST-broken.xml", "<testsuite><testcase name=\"x\">");

    CheckResult result = check(1);

    assertThat(result.passed()).isFalse();
    assertThat(result.output())
        .contains("cannot parse target/surefire-reports/TEST-broken.xml: line 1, column");
  }

  @Test
  void refusesDoctypesSoExternalEntitiesAreNeverRead() throws Exception {
    Path secret = Files.writeString(workspace.resolve("secret.txt"), "TOP-SECRET");
    report(
        "TEST-evil.xml",
        "<?xml version=\"1.0\"?><!DOCTYPE testsuite [<!ENTITY x SYSTEM \"file://"
            + secret
            + "\">]><testsuite><testcase name=\"a\"><failure message=\"&x;\"/></testcase>"
            + "</testsuite>");

    CheckResult result = check(1);

    assertThat(result.passed()).isFalse();
    assertThat(result.output())
        .contains("TEST-evil.xml")
        .contains("DOCTYPE")
        .doesNotContain("TOP-SECRET");
  }

  @Test
  void failsOnAFileThatIsNotAJunitReport() throws Exception {
    report("TEST-pom.xml", "<project><modelVersion>4.0.0</modelVersion></project>");

    CheckResult result = check(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.output()).contains("<project>").contains("expected <testsuite>");
  }

  @Test
  void failsWhenNoReportMatches() throws Exception {
    CheckResult result = check(1);

    assertThat(result.passed()).isFalse();
    assertThat(result.output())
        .startsWith("no JUnit XML report matches 'target/surefire-reports/*.xml'");
  }

  @Test
  void keepsItsOutputWithin4KibWhenManyTestsFail() throws Exception {
    var cases = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      cases
          .append("<testcase classname=\"app.BigTest\" name=\"case")
          .append(i)
          .append("\"><failure message=\"value ")
          .append(i)
          .append(" was wrong\"/></testcase>");
    }
    report("TEST-big.xml", suite("app.BigTest", cases.toString()));

    CheckResult result = check(1);

    assertThat(result.passed()).isFalse();
    assertThat(result.output().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(4096);
    assertThat(result.output())
        .startsWith("500 tests, 500 failures, 0 errors, 0 skipped in 1 report\n")
        .contains("FAILURE app.BigTest.case0: value 0 was wrong")
        .containsPattern("… and \\d+ more$");
  }
}
