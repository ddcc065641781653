package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestra plan}: the {@code orchestra.plan/v1} document a pipeline reads (checked against
 * its schema), the run it creates and does not start, and its refusals.
 */
class PlanCommandTest {
  @TempDir Path dir;
  PipelineWorkspace ws;

  @BeforeEach
  void setUp() throws Exception {
    // The checkout's root: .orchestra/fix.yaml may use ../agents/ inside it (the path rule).
    Files.createDirectories(dir.resolve(".git"));
    ws = new PipelineWorkspace(dir);
    ws.write("agents/review-prompt.md", "Review {{ inputs.what }}.");
    ws.write(
        "agents/review.yaml",
        """
        version: 1
        name: review
        inputs:
          what: {required: true}
        nodes:
          read:
            agent: codex
            prompt_file: review-prompt.md
            credentials: [openai]
          judge: {needs: [read], agent: claude, prompt: "Judge it", credentials: [anthropic, openai]}
        """);
    ws.write(
        ".orchestra/fix.yaml",
        """
        version: 1
        name: fix
        description: Spec, then review
        inputs:
          task: {description: What to fix, required: true}
          base: {default: main}
        limits: {concurrency: 4, agents: {claude: 2}, budget: {usd: 10}, timeout: 2h}
        defaults: {timeout: 15m, attempts: 3}
        nodes:
          review:
            needs: [spec]
            uses: ../agents/review.yaml
            with: {what: "{{ nodes.spec.output }}"}
            continue_on_failure: true
            approval: {message: "Review {{ inputs.task }}?", approvers: [release-team]}
          spec:
            agent: claude
            prompt: "{{ inputs.task }}"
            credentials: [anthropic]
            executor: docker
            image: orchestra-agent:latest
            docker: {cpus: 2, memory: 4g, network: none}
            idle_timeout: 5m
        """);
  }

  @Test
  void printsAPlanThatTheSchemaAcceptsWithEachNodeInDependencyOrder() throws Exception {
    JsonNode plan = ws.plan(".orchestra/fix.yaml", "-i", "task=Fix #12");

    assertThat(PipelineWorkspace.violations(PipelineWorkspace.PLAN_SCHEMA, plan)).isEmpty();
    String run = plan.get("run").asText();
    assertThat(plan.get("runs_dir").asText()).isEqualTo(".orchestra/runs");
    assertThat(plan.get("records").asText()).isEqualTo(".orchestra/runs/" + run);
    assertThat(ids(plan.get("nodes"))).containsExactly("spec", "review");
    JsonNode spec = plan.at("/nodes/0");
    assertThat(spec.get("image").asText()).isEqualTo("orchestra-agent:latest");
    assertThat(ids(spec.at("/docker/args")))
        .containsExactly("--cpus", "2", "--memory", "4g", "--network", "none");
    assertThat(spec.at("/credentials/0/variable").asText())
        .isEqualTo("ORCHESTRA_CREDENTIAL_ANTHROPIC");
    assertThat(spec.at("/credentials/0/agent_variable").asText()).isEqualTo("ANTHROPIC_API_KEY");
    // 3 x 15 min, the backoff before attempts 2 and 3 (2 s, 4 s), a minute for start-up.
    assertThat(spec.get("stage_timeout_ms").asLong()).isEqualTo(3 * 900_000 + 6_000 + 60_000);
    JsonNode review = plan.at("/nodes/1");
    assertThat(review.get("agent").isNull()).isTrue();
    assertThat(review.get("uses").asText()).isEqualTo("../agents/review.yaml");
    assertThat(review.get("credentials").findValuesAsText("name"))
        .containsExactly("openai", "anthropic");
    assertThat(review.at("/approval/message").asText()).isEqualTo("Review Fix #12?");
    assertThat(review.at("/stash/includes").asText())
        .isEqualTo(
            ".orchestra/runs/"
                + run
                + "/nodes/review/**,.orchestra/runs/"
                + run
                + "/nodes/review.*/**");
    assertThat(plan.at("/inputs/base").asText()).isEqualTo("main");
    assertThat(plan.at("/limits/timeout_ms").asLong()).isEqualTo(7_200_000);
  }

  @Test
  void refusesAUsesOutOfTheRepositoryUnlessTrustedLocally() throws Exception {
    Files.delete(dir.resolve(".git"));

    CliRun refused = ws.run("plan", ".orchestra/fix.yaml", "--json", "-i", "task=Fix #12");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err())
        .contains(".orchestra/fix.yaml:12:11: error: node 'review' uses '../agents/review.yaml'")
        .contains("--trust-local");
    assertThat(ws.store().list()).isEmpty();

    JsonNode plan = ws.plan(".orchestra/fix.yaml", "-i", "task=Fix #12", "--trust-local");
    assertThat(ws.store().planFiles(plan.get("run").asText()))
        .containsOnlyKeys("agents/review.yaml", "agents/review-prompt.md");
  }

  @Test
  void createsTheRunWithItsComposedFilesAndDoesNotStartIt() throws Exception {
    JsonNode plan = ws.plan(".orchestra/fix.yaml", "-i", "task=Fix #12");
    String run = plan.get("run").asText();
    Files.delete(dir.resolve("agents/review-prompt.md"));

    List<RecordedEvent> events = ws.store().events(run);
    assertThat(events)
        .extracting(RecordedEvent::event)
        .singleElement()
        .isInstanceOf(Event.RunStarted.class);
    assertThat(ws.store().planFiles(run))
        .containsOnlyKeys("agents/review.yaml", "agents/review-prompt.md");
    assertThat(ws.store().find(run).orElseThrow().workflowFile()).isEqualTo(".orchestra/fix.yaml");
    CliRun shown = ws.run("runs", "show", run);
    assertThat(shown.exitCode()).isZero();
    assertThat(shown.out())
        .contains("workflow: fix (.orchestra/fix.yaml)")
        .contains("no result yet");
  }

  @Test
  void aDryRunCreatesNothingAndNeedsNoInput() throws Exception {
    JsonNode plan = ws.plan(".orchestra/fix.yaml", "--dry-run");

    assertThat(PipelineWorkspace.violations(PipelineWorkspace.PLAN_SCHEMA, plan)).isEmpty();
    assertThat(plan.get("run").isNull()).isTrue();
    assertThat(plan.get("stash").isNull()).isTrue();
    assertThat(plan.at("/nodes/0/stash").isNull()).isTrue();
    assertThat(plan.get("inputs").has("task")).isFalse();
    assertThat(plan.at("/workflow/inputs/0/description").asText()).isEqualTo("What to fix");
    assertThat(Files.exists(dir.resolve(".orchestra/runs"))).isFalse();
  }

  @Test
  void resumeMarksTheSucceededNodesOfTheRecordedRun() throws Exception {
    ws.write(
        "two.yaml",
        """
        version: 1
        name: two
        defaults: {agent: command, attempts: 1}
        nodes:
          one: {command: "echo one"}
          two: {needs: [one], command: "exit 1"}
        """);
    String run = ws.plan("two.yaml").get("run").asText();
    ws.exec(run, "one");
    ws.exec(run, "two");
    ws.run("runs", "finish", run);

    CliRun again = ws.run("plan", "--resume", run, "--json");

    assertThat(again.exitCode()).as(again.err()).isZero();
    JsonNode plan = new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.out());
    assertThat(PipelineWorkspace.violations(PipelineWorkspace.PLAN_SCHEMA, plan)).isEmpty();
    assertThat(plan.get("run").asText()).isEqualTo(run);
    assertThat(plan.at("/nodes/0/status").asText()).isEqualTo("succeeded");
    assertThat(plan.at("/nodes/1/status").asText()).isEqualTo("pending");
    assertThat(plan.at("/workflow/file").asText()).isEqualTo("two.yaml");
  }

  @Test
  void refusesAnInvalidWorkflowNamingFileLineAndFix() throws Exception {
    ws.write(
        "bad.yaml",
        """
        version: 1
        name: bad
        nodes:
          a: {agent: command, command: "true", needs: [nope]}
        """);

    CliRun r = ws.run("plan", "bad.yaml", "--json");
    CliRun missing = ws.run("plan", ".orchestra/fix.yaml", "--json");
    CliRun noJson = ws.run("plan", ".orchestra/fix.yaml", "-i", "task=x");
    CliRun unknown = ws.run("plan", "--resume", "20261201-101500-3fa2", "--json");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("bad.yaml:4:").contains("error:").contains("nope");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err())
        .contains(".orchestra/fix.yaml:")
        .contains("'task'")
        .contains("-i task=");
    assertThat(noJson.exitCode()).isEqualTo(2);
    assertThat(noJson.err()).contains("add --json");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("no run '20261201-101500-3fa2'");
    assertThat(Files.exists(dir.resolve(".orchestra/runs"))).isFalse();
  }

  @Test
  void refusesTwoCredentialsThatOneVariableWouldCarry() throws Exception {
    ws.write(
        "clash.yaml",
        """
        version: 1
        name: clash
        nodes:
          a: {agent: claude, prompt: "a", credentials: [{TOKEN_A: my-key}]}
          b: {agent: claude, prompt: "b", credentials: [{TOKEN_B: my.key}]}
        """);

    CliRun r = ws.run("plan", "clash.yaml", "--json");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "credentials 'my-key' and 'my.key' would both be read from ORCHESTRA_CREDENTIAL_MY_KEY")
        .contains("rename one");
  }

  private static List<String> ids(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.has("id") ? n.get("id").asText() : n.asText())
        .toList();
  }
}
