package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orchestra.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /** Reads every token with Jackson alone: the floor any YAML parser on it must pay. */
  private static long tokenize(String content) {
    try (JsonParser p = new YAMLFactory().createParser(content)) {
      long n = 0;
      while (p.nextToken() != null) {
        p.currentTokenLocation();
        n++;
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void parsesTenThousandNodesInTimeLinearInTheirSize() {
    String content = generate(NODES, 42);
    WorkflowParser parser = WorkflowParser.create();
    Path file = Path.of("generated.yaml");
    ParseResult result = null;
    for (int i = 0; i < 2; i++) {
      tokenize(content);
      result = parser.parse(file, content);
    }
    long bestTokenize = Long.MAX_VALUE;
    long bestParse = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      tokenize(content);
      long middle = System.nanoTime();
      result = parser.parse(file, content);
      long end = System.nanoTime();
      bestTokenize = Math.min(bestTokenize, middle - start);
      bestParse = Math.min(bestParse, end - middle);
    }
    Workflow w = result.workflow();
    assertThat(result.problems()).isEmpty();
    assertThat(w.nodes()).hasSize(NODES);
    long edges = w.nodes().values().stream().mapToLong(n -> n.needs().size()).sum();
    assertThat(edges).isBetween(29_000L, 30_000L);
    assertThat(w.sourceMap().value("/nodes/n9999/needs/0").line()).isGreaterThan(NODES);
    System.out.printf(
        "parsed %d nodes, %d edges, %d KiB in %d ms; Jackson alone reads its tokens in %d ms"
            + " (best of 3, warm)%n",
        NODES, edges, content.length() / 1024, bestParse / 1_000_000, bestTokenize / 1_000_000);
    // Compared with tokenizing rather than with a fixed time, so that a loaded machine or a
    // coverage agent does not fail it; a quadratic step would be hundreds of times slower.
    assertThat(bestParse).isLessThan(10 * bestTokenize);
  }
}
