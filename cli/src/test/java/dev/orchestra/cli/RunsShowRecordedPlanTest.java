package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runs show} takes the node order and the containers from the plan a run recorded when it
 * started ({@code run-plan.json}), and from its workflow's text parsed again for records without
 * one (runs of earlier versions), with the same output either way.
 */
class RunsShowRecordedPlanTest {
  @TempDir Path dir;

  private String runs;
  private String runId;

  /** A run of a workflow whose file order is not its node order, with a composed node. */
  private Path recordRun() throws IOException {
    Files.writeString(
        dir.resolve("inner.yaml"),
        """
        version: 1
        name: inner
        defaults: {agent: command, attempts: 1}
        nodes:
          code: {command: "true"}
        """);
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: planned
        defaults: {agent: command, attempts: 2, executor: docker, image: orchestra-test-busybox:latest}
        nodes:
          ship: {needs: [fix], command: "true", executor: local}
          fix: {needs: [prep], uses: inner.yaml}
          prep: {command: "true", attempts: 1, docker: {memory: 256m, network: none}}
          lint: {command: "true", executor: local}
        """);
    runs = dir.resolve("runs").toString();
    CliRun run = CliRun.of("run", file.toString(), "--runs-dir", runs);
    runId = RunsCommandTest.runId(run.out());
    return dir.resolve("runs").resolve(runId);
  }

  private String show() {
    CliRun show = CliRun.of("runs", "show", runId, "--runs-dir", runs);
    assertThat(show.exitCode()).as(show.err()).isZero();
    return show.out();
  }

  @Test
  void showsARunTheSameWithItsRecordedPlanAsFromItsWorkflowsText() throws IOException {
    Path records = recordRun();
    assertThat(records.resolve("run-plan.json")).isRegularFile();
    String withPlan = show();

    Files.delete(records.resolve("run-plan.json"));
    String parsed = show();

    assertThat(parsed).isEqualTo(withPlan);
    assertThat(withPlan)
        .contains(
            "containers:\n"
                + "  prep  orchestra-test-busybox:latest: cpus 2, memory 256m, network none, pids"
                + " 1024, capabilities CHOWN DAC_OVERRIDE FOWNER SETGID SETUID, no-new-privileges\n"
                + "\n");
  }

  @Test
  void readsTheRecordedPlanRatherThanTheWorkflowsText() throws IOException {
    Path records = recordRun();
    String withPlan = show();

    // A workflow text that no longer parses: only the recorded plan can still order the nodes
    // and name the containers.
    Files.writeString(records.resolve("workflow.yaml"), "version: [");

    assertThat(show()).isEqualTo(withPlan);
    Files.delete(records.resolve("run-plan.json"));
    assertThat(show()).doesNotContain("containers:").contains("ship");
  }
}
