package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A workflow of 10,000 nodes and about 30,000 edges parses completely, positions included. How long
 * it takes is measured by the benchmark in the bench module, not asserted here.
 */
class LargeWorkflowParseTest {
  private static final int NODES = 10_000;

  /** A random DAG: each node needs up to three earlier nodes. Fixed seed, so always the same. */
  static String generate(int nodes, long seed) {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(nodes * 120);
    sb.append("version: 1\nname: generated\ndefaults:\n  agent: command\n  timeout: 5m\nnodes:\n");
    for (int i = 0; i < nodes; i++) {
      sb.append("  n").append(i).append(":\n");
      if (i > 0) {
        sb.append("    needs: [");
        int edges = Math.min(i, 3);
        java.util.Set<Integer> picked = new java.util.TreeSet<>();
        while (picked.size() < edges) {
          picked.add(random.nextInt(i));
        }
        String sep = "";
        for (int p : picked) {
          sb.append(sep).append('n').append(p);
          sep = ", ";
        }
        sb.append("]\n");
      }
      sb.append("    command: [echo, node ").append(i).append("]\n");
      sb.append("    checks:\n      - exists: out/n").append(i).append(".txt\n");
    }
    return sb.toString();
  }

  @Test
  void parsesTenThousandNodesWithThirtyThousandEdges() {
    String content = generate(NODES, 42);
    ParseResult result = WorkflowParser.create().parse(Path.of("generated.yaml"), content);

    Workflow w = result.workflow();
    assertThat(result.problems()).isEmpty();
    assertThat(w.nodes()).hasSize(NODES);
    long edges = w.nodes().values().stream().mapToLong(n -> n.needs().size()).sum();
    assertThat(edges).isBetween(29_000L, 30_000L);
    assertThat(w.sourceMap().value("/nodes/n9999/needs/0").line()).isGreaterThan(NODES);
  }
}
