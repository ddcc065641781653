package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.InvalidWorkflowException;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowsTest {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
  }

  @Test
  void loadsValidWorkflowReadyToRun() {
    Path file =
        fx.write(
            "flow.yaml",
            """
            version: 1
            inputs:
              task: {required: true}
            nodes:
              plan: {prompt: "Plan {{ inputs.task }}"}
              build: {needs: [plan], prompt: "Build {{ nodes.plan.output }}"}
            """);

    Workflow wf = Workflows.load(file, Map.of("task", "a login page"));

    assertThat(wf.nodes().keySet()).containsExactly("plan", "build");
    assertThat(wf.file()).isEqualTo(file);
  }

  @Test
  void throwsWithEveryParseAndValidationProblemSortedByPosition() {
    Path file =
        fx.write(
            "flow.yaml",
            """
            version: 1
            inputs:
              task: {required: true}
            nodes:
              build:
                needs: [plam]
                prompt: "Build {{ inputs.tsk }}"
                atempts: 3
              plan:
                agent: clade
                prompt: Plan.
            """);

    assertThatThrownBy(() -> Workflows.load(file, Map.of()))
        .isInstanceOfSatisfying(
            InvalidWorkflowException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::toString)
                    .containsExactly(
                        file
                            + ":3:3: error: required input 'task' was not given; pass a value,"
                            + " e.g. orchestra run "
                            + file
                            + " -i task=VALUE",
                        file
                            + ":6:13: error: node 'build' needs 'plam', which is not a node of"
                            + " this workflow; did you mean 'plan'?",
                        file
                            + ":7:20: error: unknown input 'tsk' in {{ inputs.tsk }}; did you"
                            + " mean 'task'?",
                        file
                            + ":8:5: error: unknown key 'atempts' in node 'build'; did you mean"
                            + " 'attempts'?",
                        file
                            + ":10:12: error: unknown agent 'clade' in node 'plan'; did you mean"
                            + " 'claude'?"));
  }

  @Test
  void carriesProblemsAsValuesWithTheSuggestionApart() {
    Path file =
        fx.write(
            "flow.yaml",
            """
        version: 1
        nodes:
          plan:
            agent: clade
            prompt: Plan.
        """);

    assertThatThrownBy(() -> Workflows.load(file))
        .isInstanceOfSatisfying(
            InvalidWorkflowException.class,
            e -> {
              assertThat(e.problems())
                  .containsExactly(
                      new Problem(
                          file.toString(),
                          4,
                          12,
                          "unknown agent 'clade' in node 'plan'",
                          "did you mean 'claude'?"));
              assertThat(e.getMessage())
                  .isEqualTo(
                      file
                          + ":4:12: error: unknown agent 'clade' in node 'plan'; did you mean"
                          + " 'claude'?");
            });
  }

  @Test
  void reportsUnreadableFileWithoutValidating() {
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> Workflows.load(missing))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining(missing.toString());
  }
}
