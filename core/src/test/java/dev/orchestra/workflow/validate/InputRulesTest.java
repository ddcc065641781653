package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputRulesTest {
  @TempDir Path dir;
  Fixture fx;

  private static final String FLOW =
      """
      version: 1
      inputs:
        task: {description: What to build, required: true}
        base: {default: main}
      nodes:
        plan: {prompt: "Plan {{ inputs.task }} on {{ inputs.base }}"}
      """;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
    fx.write("flow.yaml", FLOW);
  }

  @Test
  void ignoresMissingInputsWhenOnlyValidating() {
    assertThat(fx.validationProblems("flow.yaml")).isEmpty();
  }

  @Test
  void rejectsMissingRequiredInputWhenRunning() {
    assertThat(fx.validationProblems("flow.yaml", fx.running(Map.of("base", "dev"))))
        .containsExactly(
            "flow.yaml:3:3: error: required input 'task' was not given; pass a value, e.g."
                + " orchestra run "
                + dir.resolve("flow.yaml")
                + " -i task=VALUE");
  }

  @Test
  void rejectsGivenInputThatIsNotDeclared() {
    assertThat(fx.validationProblems("flow.yaml", fx.running(Map.of("task", "x", "bsae", "dev"))))
        .containsExactly(
            "flow.yaml:2:1: error: input 'bsae' was given but "
                + dir.resolve("flow.yaml")
                + " declares no such input; did you mean 'base'?");
  }

  @Test
  void acceptsRunWithEveryRequiredInput() {
    assertThat(fx.validationProblems("flow.yaml", fx.running(Map.of("task", "login page"))))
        .isEmpty();
  }
}
