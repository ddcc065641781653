package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.Workflow;
import java.util.BitSet;
import java.util.SplittableRandom;

/** Generates large workflow files for informal timing (the real benchmarks live in bench). */
final class LargeWorkflow {
  private LargeWorkflow() {}

  /**
   * A DAG of {@code nodes} nodes where each node after the first few needs up to {@code fanIn}
   * earlier ones, and reads their outputs and a declared input in its prompt.
   */
  static String yaml(int nodes, int fanIn) {
    SplittableRandom random = new SplittableRandom(42);
    StringBuilder sb = new StringBuilder(nodes * 160);
    sb.append("version: 1\nname: large\ninputs:\n  task: {default: build}\nnodes:\n");
    for (int i = 0; i < nodes; i++) {
      sb.append("  n").append(i).append(":\n");
      sb.append("    outputs: {report: {file: r").append(i).append(".md}}\n");
      StringBuilder prompt = new StringBuilder("Do {{ inputs.task }} part ").append(i);
      if (i > 0) {
        sb.append("    needs: [");
        int count = Math.min(i, fanIn);
        BitSet chosen = new BitSet();
        for (int k = 0; k < count; k++) {
          int target;
          do {
            target = i - 1 - random.nextInt(Math.min(i, 50));
          } while (chosen.get(target));
          chosen.set(target);
          if (k > 0) {
            sb.append(", ");
          }
          sb.append('n').append(target);
          prompt.append(" using {{ nodes.n").append(target).append(".output }}");
        }
        sb.append("]\n");
        // A reference beyond the direct needs, to exercise the transitive check.
        prompt.append(" after {{ nodes.n0.outputs.report }}");
      }
      sb.append("    prompt: \"").append(prompt).append("\"\n");
    }
    return sb.toString();
  }

  /** {@code nodes} nodes in one ring: n0 needs the last, each other node the one before. */
  static String ringYaml(int nodes) {
    StringBuilder sb = new StringBuilder("version: 1\nnodes:\n");
    for (int i = 0; i < nodes; i++) {
      int need = i == 0 ? nodes - 1 : i - 1;
      sb.append("  n").append(i).append(": {needs: [n").append(need).append("], prompt: P}\n");
    }
    return sb.toString();
  }

  static long edges(Workflow wf) {
    return wf.nodes().values().stream().mapToLong(n -> n.needs().size()).sum();
  }
}
