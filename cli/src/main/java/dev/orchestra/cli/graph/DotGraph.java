package dev.orchestra.cli.graph;

/** Writes a {@link WorkflowGraph} as a Graphviz {@code digraph}. */
final class DotGraph {
  private DotGraph() {}

  static String render(WorkflowGraph graph) {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph ").append(quote(graph.name() == null ? "workflow" : graph.name()));
    sb.append(" {\n");
    sb.append("  rankdir=TB;\n");
    sb.append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for (WorkflowGraph.Node node : graph.nodes()) {
      String detail = node.uses() != null ? "uses " + node.uses() : node.agent();
      String label = node.id() + "\n" + detail;
      if (!node.checks().isEmpty()) {
        label += "\n" + node.checks().size() + (node.checks().size() == 1 ? " check" : " checks");
      }
      sb.append("  ").append(quote(node.id())).append(" [label=").append(quote(label));
      if (node.uses() != null) {
        sb.append(", peripheries=2");
      }
      sb.append("];\n");
    }
    for (WorkflowGraph.Edge edge : graph.edges()) {
      sb.append("  ")
          .append(quote(edge.from()))
          .append(" -> ")
          .append(quote(edge.to()))
          .append(";\n");
    }
    return sb.append("}\n").toString();
  }

  /** A DOT double-quoted string; only {@code "}, {@code \} and newlines need care. */
  static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
