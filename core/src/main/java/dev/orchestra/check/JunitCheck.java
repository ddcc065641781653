package dev.orchestra.check;

import dev.orchestra.OrchestraException;
import dev.orchestra.exec.Tail;
import dev.orchestra.trust.ReadLimits;
import dev.orchestra.trust.WorkspacePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * {@code junit}: the reports matching a glob parse, hold at least {@code minTests} tests that ran
 * (skipped ones do not count: a suite that skipped everything proves nothing), and none failed or
 * erred. The output starts with the counts, then names the failing testcases with the first lines
 * of their messages, as many as fit in the feedback tail.
 */
final class JunitCheck implements Check {
  /** Room kept for the "and N more" line so that the output stays within the feedback size. */
  private static final int LISTING_BYTES = Tail.FEEDBACK_BYTES - 200;

  private static final int MAX_REPORTS = 100_000;

  private final String name;
  private final String glob;
  private final int minTests;

  JunitCheck(String name, String glob, int minTests) {
    if (minTests < 0) {
      throw new IllegalArgumentException("min_tests must be >= 0, was " + minTests);
    }
    this.name = name;
    this.glob = glob;
    this.minTests = minTests;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CheckResult run(CheckContext context) {
    Path workspace = context.workspace();
    WorkspacePaths rule = context.files();
    List<Path> files;
    try {
      files =
          Glob.of(glob).find(workspace, MAX_REPORTS).stream()
              .filter(p -> !Files.isDirectory(workspace.resolve(p), LinkOption.NOFOLLOW_LINKS))
              .toList();
    } catch (OrchestraException | UncheckedIOException e) {
      return new CheckResult(name, false, e.getMessage());
    }
    if (files.isEmpty()) {
      return new CheckResult(
          name,
          false,
          "no JUnit XML report matches '"
              + glob
              + "' in "
              + workspace
              + "; did the tests run and write their reports there?");
    }
    int tests = 0;
    int skipped = 0;
    int failures = 0;
    int errors = 0;
    var failing = new ArrayList<String>();
    var unreadable = new ArrayList<String>();
    for (Path file : files) {
      // A report is read only where the path rule allows: a regular file inside the workspace.
      WorkspacePaths.Resolved resolved = rule.regularFile(file);
      if (resolved instanceof WorkspacePaths.Refused refused) {
        unreadable.add("cannot read " + file + ": it " + refused.reason());
        continue;
      }
      try {
        JunitReport report =
            JunitReport.parse(
                rule.readBytes(
                    ((WorkspacePaths.Inside) resolved).path(),
                    "JUnit report " + file,
                    ReadLimits.JUNIT_REPORT_BYTES));
        tests += report.tests();
        skipped += report.skipped();
        failures += report.failures();
        errors += report.errors();
        for (JunitReport.FailingTest f : report.failing()) {
          failing.add(f.kind().toUpperCase(Locale.ROOT) + " " + f.name() + ": " + f.message());
        }
      } catch (IOException | SAXException e) {
        unreadable.add("cannot parse " + file + ": " + describe(e));
      }
    }
    int ran = tests - skipped;
    boolean passed = unreadable.isEmpty() && failures == 0 && errors == 0 && ran >= minTests;
    var out = new StringBuilder();
    out.append(count(tests, "test"))
        .append(", ")
        .append(count(failures, "failure"))
        .append(", ")
        .append(count(errors, "error"))
        .append(", ")
        .append(skipped)
        .append(" skipped in ")
        .append(count(files.size(), "report"));
    if (ran < minTests) {
      out.append("\nexpected at least ")
          .append(minTests)
          .append(" tests to run, ")
          .append(ran)
          .append(" ran");
    }
    List<String> details = new ArrayList<>(unreadable);
    details.addAll(failing);
    int listed = 0;
    for (String detail : details) {
      if (out.length() + detail.length() + 1 > LISTING_BYTES) {
        break;
      }
      out.append('\n').append(detail);
      listed++;
    }
    if (listed < details.size()) {
      out.append("\n… and ").append(details.size() - listed).append(" more");
    }
    return new CheckResult(name, passed, Tail.of(out.toString(), Tail.FEEDBACK_BYTES));
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String describe(Exception e) {
    if (e instanceof SAXParseException p) {
      return "line "
          + p.getLineNumber()
          + ", column "
          + p.getColumnNumber()
          + ": "
          + p.getMessage();
    }
    return e.getMessage();
  }
}
