package dev.orchestra.cli.pipeline;

import dev.orchestra.engine.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * The file sets a pipeline moves between workspaces with its stashes (docs/pipeline-plan.md,
 * "Records across workspaces"): the run's own records, which every node needs, and each node's,
 * which only that node's process writes. The sets never overlap, so unstashing them all into one
 * directory is safe. Patterns are Ant patterns relative to the working directory, as Jenkins'
 * {@code stash includes} takes them. Stateless.
 *
 * @param records the run's record directory as the plan names it, e.g. {@code .orchestra/runs/RUN}
 */
public record Stashes(String records) {

  /** The run-level stash's name: {@code orchestra-RUN}. */
  public static String name(String runId) {
    return "orchestra-" + runId;
  }

  /** A node's stash's name: {@code orchestra-RUN-NODE}. */
  public static String name(String runId, String node) {
    return "orchestra-" + runId + "-" + node;
  }

  /**
   * The run's own records: what {@code plan} wrote (the run, the workflow as planned, its plan and
   * the files it reads, {@code run_started}) and, with {@code isolation: branch}, the commit every
   * node starts from.
   */
  public String run(boolean branches) {
    List<String> parts =
        new ArrayList<>(
            List.of("run.json", "workflow.yaml", "run-plan.json", "events.jsonl", "plan/**"));
    if (branches) {
      parts.add("git/base");
    }
    return join(parts);
  }

  /**
   * What node exec of {@code node} writes: its records (a composed node's inner nodes' too, {@code
   * NODE.INNER}) and, with {@code isolation: branch}, its branches as a bundle and its diff.
   */
  public String node(Plan.Node node, boolean branches) {
    String id = node.id();
    List<String> parts = new ArrayList<>();
    parts.add("nodes/" + id + "/**");
    if (node.composed()) {
      parts.add("nodes/" + id + ".*/**");
    }
    if (branches) {
      parts.add("git/" + id + ".bundle");
      parts.add("git/diffs/" + id + ".patch");
      if (node.composed()) {
        parts.add("git/" + id + ".*.bundle");
        parts.add("git/diffs/" + id + ".*.patch");
      }
    }
    return join(parts);
  }

  private String join(List<String> parts) {
    List<String> full = new ArrayList<>();
    for (String p : parts) {
      full.add(records + "/" + p);
    }
    return String.join(",", full);
  }
}
