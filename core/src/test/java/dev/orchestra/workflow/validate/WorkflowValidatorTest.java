package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.CommandSpec;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowValidatorTest {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
  }

  @Test
  void reportsTenDifferentMistakesInOneRun() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        descripton: Ten mistakes.
        inputs:
          task: {required: true}
        nodes:
          plan:
            agent: cluade
            prompt: "Plan {{ inputs.taks }}"
            timeout: 5 minutes
          build:
            needs: [plan, tests]
            prompt: "Build {{ nodes.review.output }}"
            executor: docker
          review:
            needs: [check]
            prompt_file: prompts/review.md
          check:
            needs: [review]
            prompt: Check.
          plan:
            prompt: Again.
        """);

    assertThat(fx.problems("flow.yaml"))
        .containsExactly(
            "flow.yaml:2:1: error: unknown key 'descripton' in the workflow; did you mean"
                + " 'description'?",
            "flow.yaml:7:12: error: unknown agent 'cluade' in node 'plan'; did you mean"
                + " 'claude'?",
            "flow.yaml:8:19: error: unknown input 'taks' in {{ inputs.taks }}; did you mean"
                + " 'task'?",
            "flow.yaml:9:14: error: 'timeout': bad duration '5 minutes'; use a number with a unit"
                + " (ms, s, m, h, d) such as 500ms, 90s, 5m, 1h30m or 2h, or ISO-8601 such as PT5M",
            "flow.yaml:11:19: error: node 'build' needs 'tests', which is not a node of this"
                + " workflow; remove it or define a node 'tests'",
            "flow.yaml:12:20: error: node 'build' reads {{ nodes.review.output }} but does not"
                + " need 'review', so it may run first; add 'review' to its needs",
            "flow.yaml:13:15: error: node 'build' runs with executor 'docker' but names no"
                + " 'image'; add image: NAME:TAG",
            "flow.yaml:15:13: error: needs form a cycle: review -> check -> review (each node"
                + " needs the one before it); remove one of these needs",
            "flow.yaml:16:18: error: prompt_file 'prompts/review.md' cannot be read: "
                + dir.resolve("prompts/review.md")
                + " does not exist; the path is relative to the directory of "
                + dir.resolve("flow.yaml"),
            "flow.yaml:20:3: error: duplicate node id 'plan' (first defined at line 6)");
  }

  @Test
  void validatesWorkflowBuiltInCodeWithoutPositions() {
    Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    nodes.put("a", NodeSpec.builder("a").needs("b").prompt("A {{ nodes.b.output }}").build());
    nodes.put("b", NodeSpec.builder("b").needs("a").agent("command").build());
    nodes.put(
        "c", NodeSpec.builder("c").agent("command").command(CommandSpec.shell("make")).build());
    Workflow wf = new Workflow(1, "built", null, Map.of(), null, null, null, nodes, Map.of(), null);

    List<Problem> problems = WorkflowValidator.create().validate(wf, ValidationOptions.defaults());

    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactlyInAnyOrder(
            "<workflow>: error: needs form a cycle: a -> b -> a (each node needs the one before"
                + " it); remove one of these needs",
            "<workflow>: error: node 'b' uses agent 'command' but has no 'command'; add command:"
                + " [PROGRAM, ARG…] or command: \"shell line\"");
  }

  private static final String SUBMITTED =
      """
      version: 1
      nodes:
        plan:
          prompt: "Plan {{ inputs.task }}"
      """;

  @Test
  void locatesTemplateProblemsInSubmittedTextThatIsNotOnDisk() {
    Path file = dir.resolve("submitted.yaml");
    ParseResult parsed = WorkflowParser.create().parse(file, SUBMITTED);

    List<Problem> problems =
        WorkflowValidator.create()
            .validate(parsed.workflow(), ValidationOptions.defaults().withSource(file, SUBMITTED));

    assertThat(problems)
        .extracting(p -> p.position().line() + ":" + p.position().column())
        .containsExactly("4:19");
  }

  @Test
  void estimatesTemplatePositionFromValueStartWhenTextIsUnavailable() {
    ParseResult parsed = WorkflowParser.create().parse(dir.resolve("gone.yaml"), SUBMITTED);

    List<Problem> problems =
        WorkflowValidator.create().validate(parsed.workflow(), ValidationOptions.defaults());

    // The opening quote is invisible without the text, so the column is one short of 19.
    assertThat(problems)
        .extracting(p -> p.position().line() + ":" + p.position().column())
        .containsExactly("4:18");
  }
}
