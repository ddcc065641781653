package dev.orchestra.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The plan and node-result schemas (the contract a CI pipeline reads, docs/pipeline-plan.md) accept
 * the documents the contract shows and refuse the mistakes a producer could make.
 */
class PlanSchemaTest {
  static final String PLAN = "/dev/orchestra/plan/plan.schema.json";
  static final String NODE_RESULT = "/dev/orchestra/plan/node-result.schema.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode tree(String resource) {
    try (InputStream in = PlanSchemaTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("schema on the classpath at " + resource).isNotNull();
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> violations(String schema, JsonNode document) {
    JsonSchema s =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(tree(schema));
    return s.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** The JSON examples of docs/pipeline-plan.md, found from the module directory upwards. */
  private static List<JsonNode> documentedExamples() throws IOException {
    Path doc = null;
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("docs/pipeline-plan.md")) && Files.exists(dir.resolve("mvnw"))) {
        doc = dir.resolve("docs/pipeline-plan.md");
        break;
      }
    }
    assertThat(doc).as("docs/pipeline-plan.md above " + Path.of("").toAbsolutePath()).isNotNull();
    Matcher m =
        Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(doc));
    List<JsonNode> examples = new ArrayList<>();
    while (m.find()) {
      examples.add(JSON.readTree(m.group(1)));
    }
    return examples;
  }

  private static ObjectNode documented(String format) throws IOException {
    return (ObjectNode)
        documentedExamples().stream()
            .filter(e -> e.path("format").asText().equals(format))
            .findFirst()
            .orElseThrow(() -> new AssertionError("docs/pipeline-plan.md shows no " + format))
            .deepCopy();
  }

  @Test
  void acceptsThePlanAndTheNodeResultTheContractShows() throws IOException {
    assertThat(violations(PLAN, documented("orchestra.plan/v1"))).isEmpty();
    assertThat(violations(NODE_RESULT, documented("orchestra.node-result/v1"))).isEmpty();
  }

  @Test
  void acceptsADryRunPlanWithNothingCreated() throws IOException {
    ObjectNode plan = documented("orchestra.plan/v1");
    plan.putNull("run");
    plan.putNull("records");
    plan.putNull("stash");
    plan.withArray("nodes").forEach(n -> ((ObjectNode) n).putNull("stash"));

    assertThat(violations(PLAN, plan)).isEmpty();
  }

  @Test
  void refusesAnotherFormatVersion() throws IOException {
    ObjectNode plan = documented("orchestra.plan/v1");
    plan.put("format", "orchestra.plan/v2");

    assertThat(violations(PLAN, plan)).anyMatch(m -> m.contains("format"));
  }

  @Test
  void refusesACredentialVariableOrchestraDoesNotRead() throws IOException {
    ObjectNode plan = documented("orchestra.plan/v1");
    ObjectNode credential = (ObjectNode) plan.at("/nodes/0/credentials/0");
    credential.put("variable", "ANTHROPIC_API_KEY");

    assertThat(violations(PLAN, plan)).anyMatch(m -> m.contains("variable"));
  }

  @Test
  void refusesANodeWithoutItsStageTimeoutOrWithAnUnknownStatus() throws IOException {
    ObjectNode plan = documented("orchestra.plan/v1");
    ((ObjectNode) plan.at("/nodes/0")).remove("stage_timeout_ms");
    ((ObjectNode) plan.at("/nodes/1")).put("status", "running");

    assertThat(violations(PLAN, plan))
        .anyMatch(m -> m.contains("stage_timeout_ms"))
        .anyMatch(m -> m.contains("status"));
  }

  @Test
  void refusesAStashNameJenkinsWouldNotTake() throws IOException {
    ObjectNode plan = documented("orchestra.plan/v1");
    ((ObjectNode) plan.at("/stash")).put("name", "orchestra/run:1");

    assertThat(violations(PLAN, plan)).anyMatch(m -> m.contains("name"));
  }

  @Test
  void refusesANodeResultWithAStatusThatDoesNotEndANode() throws IOException {
    ObjectNode result = documented("orchestra.node-result/v1");
    result.put("status", "rate_limited");

    assertThat(violations(NODE_RESULT, result)).anyMatch(m -> m.contains("status"));
  }

  @Test
  void describesEveryField() {
    for (String schema : List.of(PLAN, NODE_RESULT)) {
      List<String> undescribed = new ArrayList<>();
      collectUndescribed(tree(schema), "", undescribed);
      assertThat(undescribed).as("fields without a description in " + schema).isEmpty();
    }
  }

  private static void collectUndescribed(JsonNode node, String path, List<String> out) {
    if (!node.isObject()) {
      return;
    }
    node.path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().has("description")) {
                out.add(path + "/" + e.getKey());
              }
            });
    node.fields()
        .forEachRemaining(e -> collectUndescribed(e.getValue(), path + "/" + e.getKey(), out));
  }
}
