package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
  void validatesTenThousandNodesAndThirtyThousandNeedsWellUnderASecond() {
    String yaml = LargeWorkflow.yaml(10_000, 3);
    Path file = fx.write("large.yaml", yaml);
    WorkflowParser parser = WorkflowParser.create();
    ParseResult parsed = parser.parse(file);
    assertThat(parsed.problems()).isEmpty();
    WorkflowValidator validator = WorkflowValidator.create();
    ValidationOptions options = ValidationOptions.defaults();
    for (int warm = 0; warm < 5; warm++) {
      assertThat(validator.validate(parsed.workflow(), options)).isEmpty();
    }

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    List<Problem> problems = validator.validate(parsed.workflow(), options);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
    System.out.printf(
        "validated %d nodes, %d needs in %d ms (%d ms CPU)%n",
        parsed.workflow().nodes().size(),
        LargeWorkflow.edges(parsed.workflow()),
        millis,
        cpuMillis);

    assertThat(problems).isEmpty();
    // CPU time, because wall time on a shared build machine measures the neighbours.
    assertThat(cpuMillis).isLessThan(500);
  }

  @Test
  void reportsOneCycleAcrossTenThousandNodesQuickly() {
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
