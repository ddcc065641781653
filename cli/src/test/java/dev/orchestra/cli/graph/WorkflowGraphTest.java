package dev.orchestra.cli.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.CommandSpec;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowGraphTest {

  /** plan -> {backend, ui-work} -> review (composed); defaults give plan its agent and a check. */
  private static Workflow diamond() {
    Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    nodes.put("plan", NodeSpec.builder("plan").prompt("p").build());
    nodes.put(
        "backend",
        NodeSpec.builder("backend")
            .needs("plan")
            .agent("codex")
            .prompt("b")
            .checks(
                new CheckSpec.Run("mvn test", null, null, null), new CheckSpec.Junit("**/*.xml", 1))
            .build());
    nodes.put(
        "ui-work",
        NodeSpec.builder("ui-work")
            .needs("plan")
            .agent("command")
            .command(CommandSpec.shell("echo \"ui\""))
            .build());
    nodes.put(
        "review",
        NodeSpec.builder("review")
            .needs("backend", "ui-work")
            .uses("./agents/review.yaml")
            .build());
    NodeSpec defaults =
        NodeSpec.builder(null)
            .agent("claude")
            .checks(new CheckSpec.Exists(List.of("PLAN.md")))
            .build();
    return new Workflow(1, "demo", null, null, defaults, null, null, nodes, null, null);
  }

  @Test
  void listsNodesInFileOrderWithEffectiveAgentsAndChecks() {
    WorkflowGraph graph = WorkflowGraph.of(diamond());

    assertThat(graph.nodes())
        .extracting(WorkflowGraph.Node::id)
        .containsExactly("plan", "backend", "ui-work", "review");
    assertThat(graph.nodes().get(0).agent()).isEqualTo("claude");
    assertThat(graph.nodes().get(0).checks()).containsExactly("exists: PLAN.md");
    assertThat(graph.nodes().get(1).checks()).containsExactly("run: mvn test", "junit: **/*.xml");
    assertThat(graph.nodes().get(3).agent()).isNull();
    assertThat(graph.nodes().get(3).uses()).isEqualTo("./agents/review.yaml");
    assertThat(graph.edges())
        .containsExactly(
            new WorkflowGraph.Edge("plan", "backend"),
            new WorkflowGraph.Edge("plan", "ui-work"),
            new WorkflowGraph.Edge("backend", "review"),
            new WorkflowGraph.Edge("ui-work", "review"));
  }

  @Test
  void jsonHoldsNodesEdgesAgentsAndChecks() throws Exception {
    String json = GraphFormat.JSON.render(WorkflowGraph.of(diamond()));

    JsonNode root = new ObjectMapper().readTree(json);
    assertThat(root.get("nodes")).hasSize(4);
    JsonNode backend = root.get("nodes").get(1);
    assertThat(backend.get("id").asText()).isEqualTo("backend");
    assertThat(backend.get("agent").asText()).isEqualTo("codex");
    assertThat(backend.get("needs").get(0).asText()).isEqualTo("plan");
    assertThat(backend.get("checks")).hasSize(2);
    assertThat(backend.has("uses")).isFalse();
    JsonNode review = root.get("nodes").get(3);
    assertThat(review.get("uses").asText()).isEqualTo("./agents/review.yaml");
    assertThat(root.get("edges")).hasSize(4);
    assertThat(root.get("edges").get(3).get("from").asText()).isEqualTo("ui-work");
    assertThat(root.get("edges").get(3).get("to").asText()).isEqualTo("review");
    // Pretty and stable: the same workflow always renders the same text.
    assertThat(json)
        .contains("\n  \"nodes\"")
        .isEqualTo(GraphFormat.JSON.render(WorkflowGraph.of(diamond())));
  }

  @Test
  void mermaidDrawsEveryEdgeAndGivesHyphenatedIdsASafeName() {
    String mermaid = GraphFormat.MERMAID.render(WorkflowGraph.of(diamond()));

    assertThat(mermaid).startsWith("flowchart TD\n");
    assertThat(mermaid)
        .contains("  node0[\"ui-work<br/>command<br/>1 check\"]")
        .contains("  plan --> backend\n")
        .contains("  plan --> node0\n")
        .contains("  backend --> review\n")
        .contains("  node0 --> review\n")
        .contains("  review[[\"review<br/>uses ./agents/review.yaml<br/>1 check\"]]");
  }

  @Test
  void mermaidRenamesNodesCalledLikeKeywordsAndAvoidsTakenNames() {
    Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    nodes.put("node0", NodeSpec.builder("node0").build());
    nodes.put("end", NodeSpec.builder("end").needs("node0").build());
    Workflow workflow = new Workflow(1, "k", null, null, null, null, null, nodes, null, null);

    String mermaid = GraphFormat.MERMAID.render(WorkflowGraph.of(workflow));

    assertThat(mermaid).contains("  node1[\"end<br/>claude\"]").contains("  node0 --> node1\n");
  }

  @Test
  void dotQuotesIdsAndDrawsEveryEdge() {
    String dot = GraphFormat.DOT.render(WorkflowGraph.of(diamond()));

    assertThat(dot).startsWith("digraph \"demo\" {\n").endsWith("}\n");
    assertThat(dot)
        .contains("\"plan\" -> \"backend\";")
        .contains("\"plan\" -> \"ui-work\";")
        .contains("\"backend\" -> \"review\";")
        .contains("\"ui-work\" -> \"review\";")
        .contains("\"backend\" [label=\"backend\\ncodex\\n2 checks\"];")
        .contains("peripheries=2");
  }

  @Test
  void dotEscapesQuotesAndBackslashes() {
    assertThat(DotGraph.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }
}
