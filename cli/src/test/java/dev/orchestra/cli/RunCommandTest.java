package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orchestra run} in-process, on real child processes in a temporary directory. */
class RunCommandTest {
  @TempDir Path dir;

  private Path workflow(String yaml) throws IOException {
    Path file = dir.resolve("flow.yaml");
    Files.writeString(file, yaml.replace("DIR", dir.toString()));
    return file;
  }

  private CliRun run(Path file, String... extra) {
    String[] args = new String[extra.length + 4];
    args[0] = "run";
    args[1] = file.toString();
    args[2] = "--runs-dir";
    args[3] = dir.resolve("runs").toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    return CliRun.of(args);
  }

  private static final String TWO_NODES =
      """
      version: 1
      name: two
      defaults: {agent: command}
      nodes:
        first:
          command: echo hello from first
        second:
          needs: [first]
          prompt: "got {{ nodes.first.output }}"
          command: cat > DIR/second.txt
      """;

  @Test
  void runsAWorkflowAndPrintsEventsAndASummary() throws IOException {
    CliRun r = run(workflow(TWO_NODES));

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out())
        .contains("first   started (attempt 1)")
        .contains("first  | hello from first")
        .contains("second  succeeded in")
        .containsPattern("run \\S+ succeeded in .*: 2/2 nodes succeeded")
        .contains("records: " + dir.resolve("runs"));
    assertThat(Files.readString(dir.resolve("second.txt"))).contains("got hello from first");
    assertThat(dir.resolve("runs")).isDirectoryContaining(p -> Files.isDirectory(p));
  }

  @Test
  void exitsOneAndSkipsDownstreamWhenANodeFails() throws IOException {
    CliRun r =
        run(
            workflow(
                """
                version: 1
                name: failing
                defaults: {agent: command, attempts: 1}
                nodes:
                  broken:
                    command: echo about to fail >&2; exit 3
                  after:
                    needs: [broken]
                    command: touch DIR/after-ran
                """));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .containsPattern("broken\\s+error\\s+1")
        .containsPattern("after\\s+skipped\\s+0")
        .containsPattern("run \\S+ failed");
    assertThat(dir.resolve("after-ran")).doesNotExist();
  }

  @Test
  void exitsTwoWithFileLineColumnProblemsForAnInvalidWorkflow() throws IOException {
    Path file =
        workflow(
            """
            version: 1
            name: invalid
            defaults: {agent: command}
            nodes:
              a:
                needs: [nope]
                command: touch DIR/ran
            """);

    CliRun r = run(file);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(file + ":6:").contains("error:").contains("nope");
    assertThat(dir.resolve("ran")).doesNotExist();
    assertThat(dir.resolve("runs")).doesNotExist();
  }

  @Test
  void printsOnlyJsonEventsNumberedFromOneWithJson() throws IOException {
    CliRun r = run(workflow(TWO_NODES), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    List<RecordedEvent> events = r.out().lines().map(EventJson::decode).toList();
    assertThat(events.stream().mapToLong(RecordedEvent::seq).toArray())
        .containsExactly(LongStream.rangeClosed(1, events.size()).toArray());
    assertThat(events.get(0).event().type()).isEqualTo("run_started");
    assertThat(events.get(events.size() - 1).event().type()).isEqualTo("run_finished");
    assertThat(events).extracting(e -> e.event().type()).contains("node_output", "node_finished");
    assertThat(r.err()).contains("succeeded; records:");
  }

  @Test
  void dryRunPrintsThePlanWithPlaceholdersAndRunsNothing() throws IOException {
    CliRun r =
        run(
            workflow(
                """
                version: 1
                name: planned
                inputs:
                  topic: {default: engines}
                defaults: {agent: command}
                nodes:
                  later:
                    needs: [early]
                    prompt: "use {{ nodes.early.output }} on {{ inputs.topic }}"
                    command: touch DIR/later-ran
                    checks:
                      - exists: later-ran
                  early:
                    prompt: "about {{ inputs.topic }}"
                    command: touch DIR/early-ran
                """),
            "--dry-run",
            "-i",
            "topic=dags");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out())
        .contains("plan of workflow planned: 2 nodes")
        .contains("1. early")
        .contains("2. later")
        .contains("needs:    early")
        .contains("use <nodes.early.output> on dags")
        .contains("checks:   exists: later-ran");
    assertThat(r.out().indexOf("1. early")).isLessThan(r.out().indexOf("2. later"));
    assertThat(dir.resolve("early-ran")).doesNotExist();
    assertThat(dir.resolve("later-ran")).doesNotExist();
    assertThat(dir.resolve("runs")).doesNotExist();
  }

  @Test
  void resumeRunsOnlyTheNodesThatDidNotSucceed() throws IOException {
    Path file =
        workflow(
            """
            version: 1
            name: resumable
            defaults: {agent: command, attempts: 1}
            nodes:
              once:
                command: echo ran >> DIR/once.log
              gated:
                needs: [once]
                command: test -f DIR/marker
            """);
    CliRun first = run(file);
    assertThat(first.exitCode()).isEqualTo(1);
    String runId = RunsCommandTest.runId(first.out());

    Files.writeString(dir.resolve("marker"), "");
    CliRun resumed = CliRun.of("resume", runId, "--runs-dir", dir.resolve("runs").toString());

    assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(0);
    assertThat(resumed.out()).contains("run " + runId + " resumed").contains("2/2 nodes succeeded");
    assertThat(Files.readAllLines(dir.resolve("once.log"))).containsExactly("ran");
  }

  @Test
  void readsAPromptFileOutsideTheWorkflowsDirectoryOnlyWhenTrustedLocally() throws IOException {
    Files.writeString(dir.resolve("prompt.md"), "from outside");
    Path file = Files.createDirectories(dir.resolve("flows")).resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: outside
        nodes:
          a: {agent: command, command: cat, prompt_file: ../prompt.md}
        """);

    CliRun strict = run(file);
    CliRun trusted = run(file, "--trust-local", "--json");

    assertThat(strict.exitCode()).isEqualTo(2);
    assertThat(strict.err())
        .contains(
            "prompt_file '../prompt.md' leads out of the workflow's directory ("
                + dir.toRealPath().resolve("flows")
                + "); if this is your own workflow on your own machine, run it with"
                + " --trust-local");
    assertThat(trusted.exitCode()).as(trusted.err()).isZero();
    assertThat(trusted.out()).contains("\"output\":\"from outside\"");
  }
}
