package dev.orchestra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Writes a large, valid workflow for benchmarks: {@code N} command nodes forming a random DAG with
 * about {@code 3N} edges. Node {@code i} needs up to three distinct nodes chosen among {@code 0 ..
 * i-1} (so the graph is acyclic by construction) and its prompt references one of them through a
 * template, so the validator's template and reachability rules have work to do. The same {@code
 * (nodes, seed)} always yields the same text.
 */
public final class WorkflowGenerator {
  /** The seed the benchmarks use, so that every run measures the same file. */
  public static final long DEFAULT_SEED = 20261123L;

  private static final int NEEDS_PER_NODE = 3;

  private WorkflowGenerator() {}

  /** The id of node {@code i}: zero-padded, so ids sort in creation order. */
  public static String id(int i) {
    return String.format(Locale.ROOT, "n%05d", i);
  }

  /** The workflow as YAML text. */
  public static String yaml(int nodes, long seed) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1, was " + nodes);
    }
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(nodes * 96);
    sb.append("version: 1\n")
        .append("name: generated-")
        .append(nodes)
        .append('\n')
        .append("description: A random DAG of ")
        .append(nodes)
        .append(" nodes for benchmarks (seed ")
        .append(seed)
        .append(").\n")
        .append("defaults:\n")
        .append("  agent: command\n")
        .append("  command: \"true\"\n")
        .append("  timeout: 1m\n")
        .append("nodes:\n");
    for (int i = 0; i < nodes; i++) {
      sb.append("  ").append(id(i)).append(":\n");
      Set<Integer> needs = new LinkedHashSet<>();
      int wanted = Math.min(NEEDS_PER_NODE, i);
      while (needs.size() < wanted) {
        needs.add(random.nextInt(i));
      }
      if (needs.isEmpty()) {
        sb.append("    prompt: start\n");
        continue;
      }
      sb.append("    needs: [");
      String sep = "";
      for (int need : needs) {
        sb.append(sep).append(id(need));
        sep = ", ";
      }
      sb.append("]\n");
      sb.append("    prompt: \"step ")
          .append(i)
          .append(" after {{ nodes.")
          .append(id(needs.iterator().next()))
          .append(".output }}\"\n");
    }
    return sb.toString();
  }

  /** {@code WorkflowGenerator NODES FILE [SEED]}: writes the workflow to {@code FILE}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: WorkflowGenerator NODES FILE [SEED]");
      System.exit(2);
    }
    int nodes = Integer.parseInt(args[0]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED;
    Path file = Path.of(args[1]);
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Files.writeString(file, yaml(nodes, seed));
    System.out.println("wrote " + file + " (" + nodes + " nodes, seed " + seed + ")");
  }
}
