package dev.orchestra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WorkflowGeneratorTest {

  @Test
  void generatesAValidDagWithAboutThreeEdgesPerNode() {
    int n = 2_000;
    ParseResult parsed =
        WorkflowParser.create().parse(Path.of("generated.yaml"), WorkflowGenerator.yaml(n, 7));

    assertThat(Workflows.check(parsed, ValidationOptions.defaults())).isEmpty();
    Workflow workflow = parsed.workflow();
    assertThat(workflow.nodes()).hasSize(n);
    int edges = workflow.nodes().values().stream().mapToInt(node -> node.needs().size()).sum();
    // Three per node, except that nodes 0, 1 and 2 have only 0, 1 and 2 earlier nodes to need.
    assertThat(edges).isEqualTo(3 * n - 6);
    NodeSpec last = workflow.nodes().get(WorkflowGenerator.id(n - 1));
    assertThat(last.prompt()).contains("{{ nodes." + last.needs().get(0) + ".output }}");
  }

  @Test
  void sameSeedGivesTheSameFileAndAnotherSeedAnotherOne() {
    assertThat(WorkflowGenerator.yaml(500, 1)).isEqualTo(WorkflowGenerator.yaml(500, 1));
    assertThat(WorkflowGenerator.yaml(500, 1)).isNotEqualTo(WorkflowGenerator.yaml(500, 2));
  }
}
