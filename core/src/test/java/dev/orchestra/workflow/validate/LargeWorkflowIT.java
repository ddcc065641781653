package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of generated workflows of 10,000 nodes; slow to parse, so run by failsafe. */
class LargeWorkflowIT {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
  }

  @Test
  void validatesTenThousandNodesAndThirtyThousandNeeds() {
    Path file = fx.write("large.yaml", LargeWorkflow.yaml(10_000, 3));
    ParseResult parsed = WorkflowParser.create().parse(file);
    assertThat(parsed.problems()).isEmpty();

    List<Problem> problems =
        WorkflowValidator.create().validate(parsed.workflow(), ValidationOptions.defaults());

    // How long this takes is measured by the bench module, not asserted here.
    assertThat(problems).isEmpty();
    assertThat(LargeWorkflow.edges(parsed.workflow())).isBetween(29_000L, 30_000L);
  }

  @Test
  void reportsOneCycleAcrossTenThousandNodes() {
    Path file = fx.write("ring.yaml", LargeWorkflow.ringYaml(10_000));
    ParseResult parsed = WorkflowParser.create().parse(file);

    List<Problem> problems =
        WorkflowValidator.create().validate(parsed.workflow(), ValidationOptions.defaults());

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).message())
        .startsWith("needs form a cycle: n0 -> n1 -> n2 -> ")
        .contains(" -> n9999 -> n0 ");
    assertThat(problems.get(0).position().line()).isEqualTo(3);
  }
}
