package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An informal check that parsing stays linear: 10,000 nodes and about 30,000 edges parse well under
 * a second once the JVM is warm. The real benchmark lives in the bench module.
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
  void parsesTenThousandNodesWellUnderASecondWhenWarm() {
    String content = generate(NODES, 42);
    WorkflowParser parser = WorkflowParser.create();
    Path file = Path.of("generated.yaml");
    ParseResult result = null;
    for (int i = 0; i < 5; i++) {
      result = parser.parse(file, content);
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      result = parser.parse(file, content);
      best = Math.min(best, System.nanoTime() - start);
    }
    Workflow w = result.workflow();
    assertThat(result.problems()).isEmpty();
    assertThat(w.nodes()).hasSize(NODES);
    long edges = w.nodes().values().stream().mapToLong(n -> n.needs().size()).sum();
    assertThat(edges).isBetween(29_000L, 30_000L);
    assertThat(w.sourceMap().value("/nodes/n9999/needs/0").line()).isGreaterThan(NODES);
    System.out.printf(
        "parsed %d nodes, %d edges, %d KiB in %d ms (best of 3, warm)%n",
        NODES, edges, content.length() / 1024, best / 1_000_000);
    // Generous against a loaded machine; a quadratic step would take minutes.
    assertThat(best / 1_000_000).isLessThan(2_000);
  }
}
