package dev.orchestra.cli.graph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes a {@link WorkflowGraph} as a Mermaid {@code flowchart TD}. */
final class MermaidGraph {
  /** Ids Mermaid reads as plain node ids; others (with '-', or keywords) get a generated one. */
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private static final Set<String> KEYWORDS =
      Set.of("end", "graph", "flowchart", "subgraph", "style", "class", "classDef", "click");

  private MermaidGraph() {}

  static String render(WorkflowGraph graph) {
    Map<String, String> ids = mermaidIds(graph);
    StringBuilder sb = new StringBuilder("flowchart TD\n");
    for (WorkflowGraph.Node node : graph.nodes()) {
      String id = ids.get(node.id());
      // Composed nodes use the "subroutine" shape, so a reader sees that a whole workflow runs
      // there.
      if (node.uses() != null) {
        sb.append("  ").append(id).append("[[\"").append(label(node)).append("\"]]\n");
      } else {
        sb.append("  ").append(id).append("[\"").append(label(node)).append("\"]\n");
      }
    }
    for (WorkflowGraph.Edge edge : graph.edges()) {
      sb.append("  ")
          .append(ids.get(edge.from()))
          .append(" --> ")
          .append(ids.get(edge.to()))
          .append('\n');
    }
    return sb.toString();
  }

  private static String label(WorkflowGraph.Node node) {
    String detail = node.uses() != null ? "uses " + node.uses() : node.agent();
    String label = node.id() + "<br/>" + detail;
    if (!node.checks().isEmpty()) {
      label += "<br/>" + node.checks().size() + (node.checks().size() == 1 ? " check" : " checks");
    }
    return escape(label);
  }

  private static String escape(String text) {
    return text.replace("\"", "#quot;");
  }

  private static Map<String, String> mermaidIds(WorkflowGraph graph) {
    Set<String> taken = new HashSet<>();
    for (WorkflowGraph.Node node : graph.nodes()) {
      if (isPlain(node.id())) {
        taken.add(node.id());
      }
    }
    Map<String, String> ids = new HashMap<>();
    int next = 0;
    for (WorkflowGraph.Node node : graph.nodes()) {
      if (isPlain(node.id())) {
        ids.put(node.id(), node.id());
      } else {
        String generated;
        do {
          generated = "node" + next++;
        } while (!taken.add(generated));
        ids.put(node.id(), generated);
      }
    }
    return ids;
  }

  private static boolean isPlain(String id) {
    return PLAIN_ID.matcher(id).matches() && !KEYWORDS.contains(id);
  }
}
