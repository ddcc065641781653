package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompositionRulesTest {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
  }

  private static final String REVIEW =
      """
      version: 1
      inputs:
        focus: {required: true}
        depth: {default: "1"}
      nodes:
        review:
          prompt: "Review for {{ inputs.focus }}"
      outputs:
        verdict: "{{ nodes.review.output }}"
      """;

  @Test
  void acceptsComposedWorkflowWithItsInputsAndOutputs() {
    fx.write("agents/review.yaml", REVIEW);
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          review:
            uses: ./agents/review.yaml
            with: {focus: security}
          report:
            needs: [review]
            prompt: "Report {{ nodes.review.outputs.verdict }}"
        """);

    assertThat(fx.validationProblems("flow.yaml")).isEmpty();
  }

  @Test
  void rejectsUnreadableUsesPathNamingResolvedPath() {
    fx.write(
        "flows/flow.yaml",
        """
        version: 1
        nodes:
          review:
            uses: agents/review.yaml
        """);

    assertThat(fx.validationProblems("flows/flow.yaml"))
        .containsExactly(
            "flows/flow.yaml:4:11: error: node 'review' uses 'agents/review.yaml', which cannot be"
                + " read: "
                + dir.resolve("flows/agents/review.yaml")
                + " does not exist; the path is relative to the directory of "
                + dir.resolve("flows/flow.yaml"));
  }

  @Test
  void rejectsWithKeysTheUsedWorkflowDoesNotDeclareAndMissingRequiredInputs() {
    fx.write("agents/review.yaml", REVIEW);
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          review:
            uses: agents/review.yaml
            with:
              fcus: security
              depth: "2"
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:5: error: node 'review' does not give the required input 'focus' of "
                + dir.resolve("agents/review.yaml")
                + "; add it under 'with'",
            "flow.yaml:6:7: error: 'with' key 'fcus' of node 'review' is not an input of "
                + dir.resolve("agents/review.yaml")
                + "; did you mean 'focus'?");
  }

  @Test
  void rejectsReferenceToOutputTheUsedWorkflowDoesNotDeclare() {
    fx.write("agents/review.yaml", REVIEW);
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          review:
            uses: agents/review.yaml
            with: {focus: speed}
          report:
            needs: [review]
            prompt: "Report {{ nodes.review.outputs.verdcit }}"
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:8:21: error: "
                + dir.resolve("agents/review.yaml")
                + " (used by node 'review') declares no output 'verdcit' for"
                + " {{ nodes.review.outputs.verdcit }}; did you mean 'verdict'?");
  }

  @Test
  void reportsProblemsInsideUsedFileAtTheirOwnPosition() {
    fx.write(
        "agents/review.yaml",
        """
        version: 1
        nodes:
          review:
            agent: gemni
            promt: Review.
        """);
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          review:
            uses: agents/review.yaml
        """);

    assertThat(fx.problems("flow.yaml"))
        .containsExactly(
            "agents/review.yaml:3:3: error: node 'review' has no prompt; agent 'gemni' needs a"
                + " task, so add 'prompt' or 'prompt_file'",
            "agents/review.yaml:4:12: error: unknown agent 'gemni' in node 'review'; did you mean"
                + " 'gemini'?",
            "agents/review.yaml:5:5: error: unknown key 'promt' in node 'review'; did you mean"
                + " 'prompt'?");
  }

  @Test
  void rejectsCycleThroughComposedWorkflows() {
    fx.write(
        "a.yaml",
        """
        version: 1
        nodes:
          call-b:
            uses: sub/b.yaml
        """);
    fx.write(
        "sub/b.yaml",
        """
        version: 1
        nodes:
          first: {prompt: First.}
          call-a:
            needs: [first]
            uses: ../a.yaml
        """);

    assertThat(fx.validationProblems("a.yaml"))
        .containsExactly(
            "sub/b.yaml:6:11: error: composed workflows form a cycle: "
                + dir.resolve("a.yaml")
                + " -> "
                + dir.resolve("sub/b.yaml")
                + " -> "
                + dir.resolve("a.yaml")
                + " (node 'call-a' of "
                + dir.resolve("sub/b.yaml")
                + " uses "
                + dir.resolve("a.yaml")
                + " again); remove one of these 'uses'");
  }

  @Test
  void parsesEachComposedFileOnceAndReportsItsProblemsOnce() {
    fx.write("agents/review.yaml", "version: 1\nnodes:\n  r: {agent: nope, prompt: R.}\n");
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          one: {uses: agents/review.yaml}
          two: {uses: ./agents/../agents/review.yaml}
        """);
    List<Path> loads = new ArrayList<>();
    WorkflowParser parser = WorkflowParser.create();
    WorkflowLoader counting =
        file -> {
          loads.add(file);
          return parser.parse(file);
        };
    ParseResult root = parser.parse(dir.resolve("flow.yaml"));

    var problems =
        WorkflowValidator.create()
            .validate(root.workflow(), ValidationOptions.defaults().withLoader(counting));

    assertThat(loads).containsExactly(dir.resolve("agents/review.yaml"));
    assertThat(problems)
        .extracting(p -> p.position().line() + ":" + p.position().column() + " " + p.text())
        .containsExactly(
            "3:14 unknown agent 'nope' in node 'r'; known agents: 'claude', 'codex', 'command',"
                + " 'gemini'");
  }
}
