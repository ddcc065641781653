package dev.orchestra.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the run views show of a node waiting for approval, and of the decision. */
class ApprovalViewsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String RUN = "20261201-100000-3fa2";

  @TempDir Path dir;

  private static RecordedEvent at(long seq, Event e) {
    return new RecordedEvent(seq, T0.plusSeconds(seq), RUN, e);
  }

  private NodeLayout layout() throws IOException {
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: gates
        defaults: {agent: command}
        nodes:
          build: {command: "true"}
          deploy: {needs: [build], command: "true", approval: {approvers: [alice]}}
          "docs": {command: "true", approval: {}}
        """);
    Workflow wf = Workflows.load(file, (Map<String, String>) null);
    return NodeLayout.of(wf);
  }

  private static String plain(String line) {
    return line.replaceAll("\033\\[[0-9;]*[A-Za-z]", "");
  }

  @Test
  void theLiveViewShowsEachWaitingNodesQuestionAndTheCommandsThatDecideIt() throws IOException {
    LiveView view =
        new LiveView(
            new PrintWriter(new StringWriter()),
            layout(),
            Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC),
            100,
            30,
            DecisionHint.of(Path.of("/srv/my runs")));
    view.onEvent(at(1, new Event.RunStarted("gates", Map.of(), false)));
    view.onEvent(
        at(2, new Event.NodeWaitingApproval("deploy", "Deploy v1.2\nto prod?", List.of("alice"))));
    view.onEvent(at(3, new Event.NodeWaitingApproval("docs", "Publish?", List.of())));

    List<String> frame = view.frame().stream().map(ApprovalViewsTest::plain).toList();

    assertThat(frame)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("‖   deploy")
                    .contains("waiting_approval")
                    .contains("waiting for approval: Deploy"))
        .containsSubsequence(
            "‖ docs waits for approval: Publish? (approvers: anyone)",
            "    orchestra approve " + RUN + " docs --runs-dir '/srv/my runs'",
            "‖ deploy waits for approval: Deploy v1.2 to prod? (approvers: alice)",
            "    orchestra approve " + RUN + " deploy --runs-dir '/srv/my runs'",
            "    orchestra reject " + RUN + " deploy --comment WHY --runs-dir '/srv/my runs'");

    view.onEvent(at(4, new Event.NodeApproved("deploy", "alice", "go", T0)));
    List<String> after = view.frame().stream().map(ApprovalViewsTest::plain).toList();

    assertThat(after).noneMatch(l -> l.contains("orchestra approve " + RUN + " deploy"));
    assertThat(after)
        .anySatisfy(
            l ->
                assertThat(l).contains("deploy").contains("pending").contains("approved by alice"));
    assertThat(after).anyMatch(l -> l.contains("orchestra approve " + RUN + " docs"));
  }

  @Test
  void theLineViewPrintsTheQuestionTheCommandsAndTheDecision() {
    StringWriter out = new StringWriter();
    LineView view = new LineView(new PrintWriter(out), 6, DecisionHint.DEFAULT);

    view.onEvent(
        at(1, new Event.NodeWaitingApproval("deploy", "Deploy v1.2?", List.of("alice", "bob"))));
    view.onEvent(at(2, new Event.NodeRejected("deploy", "bob", "not on a Friday", T0)));

    assertThat(out.toString())
        .isEqualTo(
            "10:00:01 deploy  waiting for approval: Deploy v1.2? (approvers: alice, bob)\n"
                + "                 approve: orchestra approve "
                + RUN
                + " deploy\n"
                + "                 reject:  orchestra reject "
                + RUN
                + " deploy --comment WHY\n"
                + "10:00:02 deploy  rejected by bob: not on a Friday\n");
  }

  @Test
  void theDryRunPlanShowsEachGateWithItsQuestionRenderedAsFarAsTheInputsGo() throws IOException {
    Path file = dir.resolve("plan.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: plan
        inputs:
          version: {}
        defaults: {agent: command}
        nodes:
          build: {command: "true"}
          deploy:
            needs: [build]
            command: "true"
            approval:
              message: "Deploy {{ inputs.version }}\n({{ nodes.build.output }})?"
              approvers: [alice, bob]
        """);
    StringWriter out = new StringWriter();

    Plan.print(
        Workflows.load(file, (Map<String, String>) null),
        Map.of("version", "1.2"),
        null,
        new PrintWriter(out));

    assertThat(out.toString())
        .contains(
            "   checks:   -\n"
                + "   approval: Deploy 1.2 (<nodes.build.output>)? (approvers: alice, bob)\n")
        .doesNotContain(
            "1. build\n   agent:    command\n   needs:    -\n   attempts: 3\n"
                + "   checks:   -\n   approval");
  }
}
