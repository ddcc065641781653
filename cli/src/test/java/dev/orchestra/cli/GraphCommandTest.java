package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCommandTest {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void writeDiamond() throws IOException {
    file =
        Files.writeString(
            dir.resolve("diamond.yaml"),
            """
            version: 1
            name: diamond
            defaults:
              agent: command
              command: "true"
            nodes:
              plan:
                checks:
                  - exists: PLAN.md
              backend:
                needs: [plan]
                agent: codex
                prompt: build it
                checks:
                  - run: make test
                  - junit: "target/*.xml"
              frontend:
                needs: [plan]
              review:
                needs: [backend, frontend]
            """);
  }

  @Test
  void jsonListsNodesWithAgentsNeedsAndChecksAndEveryEdge() throws IOException {
    CliRun run = CliRun.of("graph", file.toString(), "--format", "json");

    assertThat(run.exitCode()).isZero();
    JsonNode root = new ObjectMapper().readTree(run.out());
    JsonNode nodes = root.get("nodes");
    assertThat(nodes).hasSize(4);
    assertThat(nodes.findValuesAsText("id"))
        .containsExactly("plan", "backend", "frontend", "review");
    assertThat(nodes.get(0).get("agent").asText()).isEqualTo("command");
    assertThat(nodes.get(0).get("checks").get(0).asText()).isEqualTo("exists: PLAN.md");
    assertThat(nodes.get(1).get("agent").asText()).isEqualTo("codex");
    assertThat(nodes.get(1).get("checks")).hasSize(2);
    assertThat(nodes.get(3).get("needs").toString()).isEqualTo("[\"backend\",\"frontend\"]");
    assertThat(root.get("edges").toString())
        .isEqualTo(
            "[{\"from\":\"plan\",\"to\":\"backend\"},{\"from\":\"plan\",\"to\":\"frontend\"},"
                + "{\"from\":\"backend\",\"to\":\"review\"},{\"from\":\"frontend\",\"to\":\"review\"}]");
  }

  @Test
  void mermaidIsTheDefaultAndDrawsEveryEdge() {
    CliRun run = CliRun.of("graph", file.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("flowchart TD\n")
        .contains("plan --> backend")
        .contains("plan --> frontend")
        .contains("backend --> review")
        .contains("frontend --> review");
  }

  @Test
  void dotDrawsEveryEdge() {
    CliRun run = CliRun.of("graph", file.toString(), "-f", "DOT");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("digraph \"diamond\" {")
        .contains("\"plan\" -> \"backend\";")
        .contains("\"plan\" -> \"frontend\";")
        .contains("\"backend\" -> \"review\";")
        .contains("\"frontend\" -> \"review\";");
  }

  @Test
  void refusesAnInvalidFileWithItsProblems() throws IOException {
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"), "version: 1\nname: bad\nnodes:\n  a:\n    atempts: 2\n");

    CliRun run = CliRun.of("graph", bad.toString(), "--format", "json");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains(bad + ":5:5: error: unknown key 'atempts'")
        .contains("is not a valid workflow");
  }

  @Test
  void rejectsAnUnknownFormatNamingTheAcceptedOnes() {
    CliRun run = CliRun.of("graph", file.toString(), "--format", "svg");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'svg'").containsIgnoringCase("mermaid, dot, json");
  }
}
