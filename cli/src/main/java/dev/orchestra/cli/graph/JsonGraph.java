package dev.orchestra.cli.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;

/**
 * Writes a {@link WorkflowGraph} as pretty JSON with a stable key order: {@code {"nodes": [{"id",
 * "agent", "needs", "checks", "uses"?}], "edges": [{"from", "to"}]}}. {@code agent} is {@code null}
 * for a composed node; {@code uses} appears only on composed nodes.
 */
final class JsonGraph {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonGraph() {}

  static String render(WorkflowGraph graph) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("name", graph.name());
    ArrayNode nodes = root.putArray("nodes");
    for (WorkflowGraph.Node node : graph.nodes()) {
      ObjectNode n = nodes.addObject();
      n.put("id", node.id());
      n.put("agent", node.agent());
      node.needs().forEach(n.putArray("needs")::add);
      node.checks().forEach(n.putArray("checks")::add);
      if (node.uses() != null) {
        n.put("uses", node.uses());
      }
    }
    ArrayNode edges = root.putArray("edges");
    for (WorkflowGraph.Edge edge : graph.edges()) {
      edges.addObject().put("from", edge.from()).put("to", edge.to());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      // A tree of strings always serializes; reaching this is a bug, not bad input.
      throw new OrchestraException("cannot write the graph as JSON", e);
    }
  }
}
