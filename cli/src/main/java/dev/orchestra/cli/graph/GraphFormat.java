package dev.orchestra.cli.graph;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/** The formats {@code orchestra graph} writes. */
public enum GraphFormat {
  /** A Mermaid {@code flowchart TD}, rendered by GitHub, GitLab and most Markdown viewers. */
  MERMAID,
  /** A Graphviz {@code digraph}: {@code orchestra graph f.yaml --format dot | dot -Tsvg}. */
  DOT,
  /** Pretty JSON: {@code {nodes: [{id, agent, needs, checks, uses?}], edges: [{from, to}]}}. */
  JSON;

  /** The graph in this format, ending with a newline. */
  public String render(WorkflowGraph graph) {
    return switch (this) {
      case MERMAID -> MermaidGraph.render(graph);
      case DOT -> DotGraph.render(graph);
      case JSON -> JsonGraph.render(graph);
    };
  }

  /** The name users type, e.g. {@code mermaid}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The names users type, for help text and shell completion. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(GraphFormat::toString).iterator();
    }
  }
}
