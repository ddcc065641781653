package dev.orchestra.cli.report;

import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nodes of a recorded run and their dependency edges, as the report draws them.
 *
 * <p>Edges come from the {@code needs} of the workflow text recorded with the run. The nodes of a
 * composed workflow ({@code outer/inner}) get their {@code needs} from the used file when it can
 * still be read next to the recorded workflow file; their first nodes (and all of them when the
 * file is gone) hang off the composed node, which starts before them.
 *
 * @param nodes the node ids in the order of the run's result
 * @param edges {@code from -> to} for each dependency between two of {@code nodes}, without
 *     duplicates
 */
public record ReportGraph(List<String> nodes, List<Edge> edges) {

  public ReportGraph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /** An edge: {@code to} waits for {@code from}. */
  public record Edge(String from, String to) {}

  /** The graph of {@code result}, with the edges of the workflow recorded in {@code info}. */
  public static ReportGraph of(RunInfo info, RunResult result) {
    Set<String> present = result.nodes().keySet();
    Set<Edge> edges = new LinkedHashSet<>();
    Path file = Path.of(info.workflowFile() != null ? info.workflowFile() : "workflow.yaml");
    Workflow root = WorkflowParser.create().parse(file, info.workflowText()).workflow();
    if (root != null) {
      addScope(root, "", file.toAbsolutePath().getParent(), new ArrayDeque<>(), edges);
    }
    // Inner nodes whose workflow could not be read again wait for their composed node.
    Set<String> targets = new HashSet<>();
    edges.forEach(e -> targets.add(e.to()));
    for (String id : present) {
      int slash = id.lastIndexOf('/');
      if (slash > 0 && !targets.contains(id)) {
        edges.add(new Edge(id.substring(0, slash), id));
      }
    }
    List<Edge> kept = new ArrayList<>();
    for (Edge e : edges) {
      if (present.contains(e.from()) && present.contains(e.to()) && !e.from().equals(e.to())) {
        kept.add(e);
      }
    }
    return new ReportGraph(new ArrayList<>(present), kept);
  }

  private static void addScope(
      Workflow workflow, String prefix, Path dir, Deque<Path> chain, Set<Edge> edges) {
    String parent = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1);
    for (String id : workflow.nodes().keySet()) {
      NodeSpec node = workflow.effectiveNode(id);
      for (String need : node.needs()) {
        edges.add(new Edge(prefix + need, prefix + id));
      }
      if (parent != null && node.needs().isEmpty()) {
        edges.add(new Edge(parent, prefix + id));
      }
      if (node.isComposed() && dir != null) {
        Path used = dir.resolve(node.uses()).toAbsolutePath().normalize();
        // The file may have changed since the run; a cycle of uses is not followed.
        Workflow inner = chain.contains(used) ? null : readable(used);
        if (inner != null) {
          chain.push(used);
          addScope(inner, prefix + id + "/", used.getParent(), chain, edges);
          chain.pop();
        }
      }
    }
  }

  /** The workflow in {@code file}, or {@code null} when it is gone or no longer parses. */
  private static Workflow readable(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    ParseResult parsed = WorkflowParser.create().parse(file);
    return parsed.ok() ? parsed.workflow() : null;
  }
}
