package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runs}, {@code runs show} and {@code runs logs} on a recorded run ({@code report}: {@link
 * ReportCommandTest}).
 */
class RunsCommandTest {
  @TempDir Path dir;
  private String runs;
  private String runId;

  static String runId(String out) {
    Matcher m = Pattern.compile("run (\\d{8}-\\d{6}-[0-9a-f]{4}) ").matcher(out);
    assertThat(m.find()).as("a run id in: " + out).isTrue();
    return m.group(1);
  }

  /** Records a run where {@code build} prints and passes, {@code test} fails its check twice. */
  @BeforeEach
  void recordAFailedRun() throws IOException {
    runs = dir.resolve("runs").toString();
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: demo
        defaults: {agent: command, attempts: 2, backoff: {delay: 10ms}}
        nodes:
          build:
            command: echo compiled 3 classes
          test:
            needs: [build]
            command: echo testing attempt $ORCHESTRA_ATTEMPT
            checks:
              - run: echo EXPECTED-42-GOT-41; exit 1
                name: unit tests
          deploy:
            needs: [test]
            command: echo never
        """);
    CliRun r = CliRun.of("run", file.toString(), "--runs-dir", runs);
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    runId = runId(r.out());
  }

  @Test
  void listsRunsNewestFirstWithStatusAndNodeCounts() {
    CliRun r = CliRun.of("runs", "--runs-dir", runs);

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out())
        .contains("RUN", "WORKFLOW", "STATUS")
        .containsPattern(runId + "\\s+demo\\s+failed\\s+.*1/3");
  }

  @Test
  void listsTheSameRowsForRecordsWithoutASummary() throws IOException {
    Path summary = dir.resolve("runs").resolve(runId).resolve("summary.json");
    assertThat(summary).exists();
    CliRun withSummary = CliRun.of("runs", "--runs-dir", runs);

    // Records of earlier versions have none: the listing reads run.json and result.json instead.
    Files.delete(summary);
    CliRun without = CliRun.of("runs", "--runs-dir", runs);

    assertThat(without.exitCode()).as(without.err()).isEqualTo(0);
    assertThat(without.out()).isEqualTo(withSummary.out()).contains(runId);
  }

  @Test
  void listsARunKilledMidWayAsInterruptedWithTheNodesThatSucceeded() throws Exception {
    Path file = dir.resolve("gated.yaml");
    // A node waiting for its approval runs no process: killing the run leaves nothing behind.
    Files.writeString(
        file,
        """
        version: 1
        name: gated
        defaults: {agent: command}
        nodes:
          build: {command: "echo built"}
          deploy: {needs: [build], command: "echo deployed", approval: {message: "Deploy?"}}
        """);
    String killed;
    try (OrchestraProcess p =
        OrchestraProcess.start(dir, "run", file.toString(), "--json", "--runs-dir", runs)) {
      killed = p.await(e -> e instanceof Event.NodeWaitingApproval).run();
      p.close(); // kill -9: the run never finishes, so it writes no result and no summary
      p.exitCode();
    }
    CliRun r = CliRun.of("runs", "--runs-dir", runs);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(dir.resolve("runs").resolve(killed).resolve("summary.json")).doesNotExist();
    assertThat(r.out())
        .containsPattern(killed + "\\s+gated\\s+interrupted\\s+.*\\s+-\\s+1/\\?")
        .containsPattern(runId + "\\s+demo\\s+failed\\s+.*1/3");
  }

  @Test
  void showsEachNodesStatusAttemptsAndReason() {
    CliRun r = CliRun.of("runs", "show", runId, "--runs-dir", runs);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out())
        .contains("run:      " + runId)
        .contains("status:   failed")
        .containsPattern("build\\s+succeeded\\s+1")
        .containsPattern("test\\s+failed\\s+2\\s+.*unit tests")
        .containsPattern("deploy\\s+skipped\\s+0")
        .contains("result.json");
  }

  @Test
  void showsTheUsageOfEachAttemptThatSpentAny() throws IOException {
    // What an AI agent's attempt records at its end; the command agents of this run spend nothing.
    Path facts = dir.resolve("runs").resolve(runId).resolve("attempts.jsonl");
    String spent =
        "\"usage\":{\"input_tokens\":1200,\"output_tokens\":300,\"cost_usd\":0.0123,"
            + "\"cost_estimated\":true}";
    Files.writeString(
        facts,
        Files.readString(facts)
            .replaceAll(
                "(\\{\"node\":\"test\",\"attempt\":2,\"ended\":true),\"usage\":\\{[^}]*\\}",
                "$1," + Matcher.quoteReplacement(spent)));
    assertThat(Files.readString(facts)).contains(spent);

    CliRun r = CliRun.of("runs", "show", runId, "--runs-dir", runs);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out())
        .containsPattern("NODE\\s+ATTEMPT\\s+TOKENS\\s+COST")
        .containsPattern("test\\s+2\\s+1500\\s+~\\$0\\.0123")
        .doesNotContainPattern("build\\s+1\\s+-\\s+-");
  }

  @Test
  void omitsTheAttemptTableWhenNoAttemptSpentAnything() {
    CliRun r = CliRun.of("runs", "show", runId, "--runs-dir", runs);

    assertThat(r.out()).doesNotContainPattern("NODE\\s+ATTEMPT\\s+TOKENS");
  }

  @Test
  void printsANodesOutputAndCheckOutputPerAttempt() {
    CliRun r = CliRun.of("runs", "logs", runId, "test", "--runs-dir", runs);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out())
        .contains("=== test attempt 1 ===")
        .contains("=== test attempt 2 ===")
        .contains("testing attempt 2")
        .contains("--- check 1 'unit tests' failed ---")
        .contains("EXPECTED-42-GOT-41");

    CliRun one = CliRun.of("runs", "logs", runId, "test", "--attempt", "2", "--runs-dir", runs);
    assertThat(one.out()).contains("testing attempt 2").doesNotContain("testing attempt 1");
  }

  @Test
  void suggestsTheClosestNodeAndRunForUnknownOnes() {
    CliRun node = CliRun.of("runs", "logs", runId, "tset", "--runs-dir", runs);
    assertThat(node.exitCode()).isEqualTo(1);
    assertThat(node.err()).contains("no node 'tset'").contains("did you mean 'test'?");

    String typo = runId.substring(0, runId.length() - 1) + (runId.endsWith("0") ? "1" : "0");
    CliRun run = CliRun.of("runs", "show", typo, "--runs-dir", runs);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("no run '" + typo + "'")
        .contains("did you mean '" + runId + "'?");
  }
}
